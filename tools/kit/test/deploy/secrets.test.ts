import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptFile, encryptValue, loadIdentities, newIdentity, secretFile, secretFingerprint, secretsDir } from '../../src/internal.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the encrypted secret store (age)', () => {
  it('encrypts to a recipient, armored; only the identity decrypts; the fingerprint is of the ciphertext', async () => {
    const { identity, recipient } = await newIdentity();
    expect(identity).toMatch(/^AGE-SECRET-KEY-1/);
    expect(recipient).toMatch(/^age1/);
    const armored = await encryptValue('hunter2\n', [recipient]);
    expect(armored).toMatch(/^-----BEGIN AGE ENCRYPTED FILE-----/);
    expect(armored).not.toContain('hunter2');
    mkdirSync(join(dir, 'vm-media'), { recursive: true });
    writeFileSync(join(dir, 'vm-media', 'token.age'), armored);
    writeFileSync(join(dir, 'shared.age'), await encryptValue('shared', [recipient]));
    expect(secretFile(dir, 'vm-media', 'token')).toBe(join(dir, 'vm-media', 'token.age'));
    expect(secretFile(dir, 'vm-apps', 'shared')).toBe(join(dir, 'shared.age'));
    expect(secretFile(dir, 'vm-apps', 'token')).toBeUndefined();
    expect(Buffer.from(await decryptFile(join(dir, 'vm-media', 'token.age'), [identity])).toString()).toBe('hunter2\n');
    const other = await newIdentity();
    await expect(decryptFile(join(dir, 'vm-media', 'token.age'), [other.identity])).rejects.toThrow(/cannot decrypt .*token\.age/);
    expect(secretFingerprint(join(dir, 'vm-media', 'token.age'))).toMatch(/^[0-9a-f]{16}$/);
    expect(readFileSync(join(dir, 'vm-media', 'token.age'), 'utf8')).toBe(armored);
  });

  it('finds the identity in HOMELAB_AGE_IDENTITY or the identity file, and says how to make one', async () => {
    const { identity } = await newIdentity();
    expect(loadIdentities({ HOMELAB_AGE_IDENTITY: `# mine\n${identity}\n` })).toEqual([identity]);
    const file = join(dir, 'id.txt');
    writeFileSync(file, `${identity}\n`);
    expect(loadIdentities({ HOMELAB_AGE_IDENTITY_FILE: file })).toEqual([identity]);
    expect(() => loadIdentities({ HOMELAB_AGE_IDENTITY_FILE: join(dir, 'none') })).toThrow('homelab secret keygen');
    expect(secretsDir('/repo', {})).toBe('/repo/secrets');
    expect(secretsDir('/repo', { HOMELAB_SECRETS_DIR: '/elsewhere' })).toBe('/elsewhere');
  });
});
