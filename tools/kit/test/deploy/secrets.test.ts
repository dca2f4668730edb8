import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decryptFile, encryptValue, identitySource, loadIdentities, newIdentity, secretFile, secretFingerprint, secretsDir } from '../../src/internal.js';

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
  });

  it('looks where age and SOPS users keep their key: SOPS_AGE_KEY_FILE, then $XDG_CONFIG_HOME/sops/age/keys.txt, then the project\'s own file', async () => {
    const { identity } = await newIdentity();
    const xdg = join(dir, 'xdg');
    const home = join(dir, 'home');
    const own = join(xdg, 'homelab', 'age-identity.txt');
    // Nothing there yet: the project's own place under $XDG_CONFIG_HOME (or ~/.config), which keygen writes.
    expect(identitySource({ XDG_CONFIG_HOME: xdg })).toEqual({ kind: 'file', where: own });
    expect(identitySource({ HOME: home })).toEqual({ kind: 'file', where: join(home, '.config', 'homelab', 'age-identity.txt') });
    // SOPS' default file, once it exists.
    const sops = join(xdg, 'sops', 'age', 'keys.txt');
    mkdirSync(join(xdg, 'sops', 'age'), { recursive: true });
    writeFileSync(sops, `# created: 2026-12-07\n# public key: age1...\n${identity}\n`);
    expect(identitySource({ XDG_CONFIG_HOME: xdg })).toEqual({ kind: 'file', where: sops });
    expect(loadIdentities({ XDG_CONFIG_HOME: xdg })).toEqual([identity]);
    // SOPS_AGE_KEY_FILE wins over SOPS' default; the project's own variables win over both.
    const named = join(dir, 'named.txt');
    writeFileSync(named, `${identity}\n`);
    expect(identitySource({ XDG_CONFIG_HOME: xdg, SOPS_AGE_KEY_FILE: named }).where).toBe(named);
    expect(identitySource({ XDG_CONFIG_HOME: xdg, SOPS_AGE_KEY_FILE: named, HOMELAB_AGE_IDENTITY_FILE: own }).where).toBe(own);
    expect(identitySource({ SOPS_AGE_KEY_FILE: named, HOMELAB_AGE_IDENTITY: identity }).kind).toBe('env');
    expect(secretsDir('/repo', { HOMELAB_SECRETS_DIR: '/elsewhere' })).toBe('/elsewhere');
  });
});
