import { describe, expect, it } from 'vitest';
import { ageRecipientCount, encryptValue, newIdentity } from '../src/internal.js';

describe('an age file\'s recipients, counted from its header', () => {
  it('counts one stanza per recipient, decrypting nothing', async () => {
    const [a, b] = [await newIdentity(), await newIdentity()];
    expect(ageRecipientCount(await encryptValue('key', [a.recipient]))).toBe(1);
    expect(ageRecipientCount(await encryptValue('key', [a.recipient, b.recipient]))).toBe(2);
    expect(ageRecipientCount('not an age file')).toBeUndefined();
  });
});
