import { describe, expect, it } from 'vitest';
import { ageRecipientCount, encryptValue, newIdentity } from '../src/internal.js';

describe('an age file\'s recipients, counted from its header', () => {
  it('counts one stanza per recipient, decrypting nothing', async () => {
    const [a, b] = [await newIdentity(), await newIdentity()];
    expect(ageRecipientCount(await encryptValue('key', [a.recipient]))).toBe(1);
    expect(ageRecipientCount(await encryptValue('key', [a.recipient, b.recipient]))).toBe(2);
    expect(ageRecipientCount('not an age file')).toBeUndefined();
  });

  it('does not count the grease stanza rage (the Rust age) adds to every header', async () => {
    const { identity, recipient } = await newIdentity();
    void identity;
    const armored = await encryptValue('key', [recipient]);
    const body = armored.replace(/-----(BEGIN|END) AGE ENCRYPTED FILE-----/g, '').replace(/\s+/g, '');
    const bytes = Buffer.from(body, 'base64').toString('latin1');
    const greased = bytes.replace('\n---', '\n-> 9r-grease x\nAAAA\n---');
    const rearmored = `-----BEGIN AGE ENCRYPTED FILE-----\n${Buffer.from(greased, 'latin1').toString('base64')}\n-----END AGE ENCRYPTED FILE-----\n`;
    expect(ageRecipientCount(rearmored)).toBe(1);
  });
});
