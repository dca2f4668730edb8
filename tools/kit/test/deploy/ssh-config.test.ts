import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fingerprint, resolveTarget } from '../../src/internal.js';
import { hostKeyTrusted } from '../../src/deploy/connect/ssh.js';
import { knownHostKeys } from '../../src/deploy/connect/known-hosts.js';
import { parseJump, sshConfigFor } from '../../src/deploy/connect/ssh-config.js';

// ~/.ssh/config and known_hosts as a user keeps them, in a temp HOME.
let home: string;
let env: NodeJS.ProcessEnv;
const keyBlob = (n: number) => Buffer.from(`ssh-ed25519 test key ${n}`);
const b64 = (n: number) => keyBlob(n).toString('base64');
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'homelab-ssh-config-'));
  mkdirSync(join(home, '.ssh'));
  env = { HOME: home };
});
afterEach(() => rmSync(home, { recursive: true, force: true }));
const write = (file: string, text: string) => writeFileSync(join(home, '.ssh', file), text);

describe('~/.ssh/config', () => {
  it('fills HostName, Port, User and IdentityFile where the model, variables and flags do not', () => {
    write('id_media', 'key');
    write('config', `Host vm-media\n  HostName 127.0.0.5\n  Port 2222\n  User admin\n  IdentityFile ~/.ssh/missing\n  IdentityFile ~/.ssh/id_media\n\nHost *\n  User everyone\n`);
    expect(resolveTarget('vm-media', '192.168.0.22', undefined, 'ssh', env)).toMatchObject({ address: '127.0.0.5', port: 2222, user: 'admin', keyFile: join(home, '.ssh', 'id_media') });
    // The model's deploy settings win, then variables, then flags.
    expect(resolveTarget('vm-media', '192.168.0.22', { address: '127.0.0.9', port: 2200, user: 'deploy' }, 'ssh', env)).toMatchObject({ address: '127.0.0.9', port: 2200, user: 'deploy' });
    const vars = { ...env, HOMELAB_DEPLOY_VM_MEDIA_ADDRESS: '127.0.0.1', HOMELAB_DEPLOY_VM_MEDIA_PORT: '22', HOMELAB_DEPLOY_VM_MEDIA_USER: 'u', HOMELAB_DEPLOY_KEY: '/k' };
    expect(resolveTarget('vm-media', '192.168.0.22', undefined, 'ssh', vars)).toMatchObject({ address: '127.0.0.1', port: 22, user: 'u', keyFile: '/k' });
    expect(resolveTarget('vm-media', '192.168.0.22', undefined, 'ssh', env, { user: 'flag', port: '2022' })).toMatchObject({ address: '127.0.0.5', port: 2022, user: 'flag' });
  });

  it('matches an entry by the address when none names the host, and ignores a catch-all', () => {
    write('config', `Host 192.168.0.22\n  Port 2022\n\nHost *\n  Port 2999\n  User everyone\n`);
    expect(resolveTarget('vm-media', '192.168.0.22', undefined, 'ssh', env)).toMatchObject({ address: '192.168.0.22', port: 2022 });
    expect(resolveTarget('vm-dev', '192.168.0.30', undefined, 'ssh', env)).toMatchObject({ port: 22, user: 'root' });
    expect(sshConfigFor(['vm-dev', '192.168.0.30'], env)).toBeUndefined();
  });

  it('honours patterns and can be turned off with HOMELAB_SSH_CONFIG=none', () => {
    write('config', `Host vm-* !vm-dev\n  User lab\n`);
    expect(sshConfigFor(['vm-media'], env)).toMatchObject({ user: 'lab' });
    expect(sshConfigFor(['vm-dev'], env)).toBeUndefined();
    expect(sshConfigFor(['vm-media'], { ...env, HOMELAB_SSH_CONFIG: 'none' })).toBeUndefined();
  });

  it('resolves a ProxyJump chain, each hop with its own entry', () => {
    write('config', `Host vm-media\n  ProxyJump bastion,admin@inner:2200\n\nHost bastion\n  HostName 127.0.0.7\n  Port 2201\n  User jumper\n`);
    const t = resolveTarget('vm-media', '127.0.0.1', undefined, 'ssh', env);
    expect(t.jump).toMatchObject({ name: 'inner (ProxyJump)', address: 'inner', port: 2200, user: 'admin' });
    expect(t.jump?.jump).toMatchObject({ address: '127.0.0.7', port: 2201, user: 'jumper' });
    expect(t.jump?.jump?.jump).toBeUndefined();
    expect(parseJump('[::1]:22')).toEqual({ host: '::1', port: '22' });
    expect(() => parseJump('a@b:c:d')).toThrow(/ProxyJump hop/);
  });
});

describe('known_hosts', () => {
  it('lists the keys for an address, plain, with a port, hashed, and revoked', () => {
    const salt = Buffer.from('0123456789abcdef0123');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('127.0.0.3').digest('base64')}`;
    write(
      'known_hosts',
      [`127.0.0.1,vm-media ssh-ed25519 ${b64(1)}`, `[127.0.0.1]:2222 ssh-ed25519 ${b64(2)}`, `${hashed} ssh-ed25519 ${b64(3)}`, `@revoked 127.0.0.1 ssh-ed25519 ${b64(4)}`, `@cert-authority * ssh-ed25519 ${b64(5)}`, '# comment', ''].join('\n'),
    );
    expect(knownHostKeys(['127.0.0.1'], 22, env)).toMatchObject({ keys: [fingerprint(keyBlob(1))], revoked: [fingerprint(keyBlob(4))] });
    expect(knownHostKeys(['127.0.0.1'], 2222, env)?.keys).toEqual([fingerprint(keyBlob(2))]);
    expect(knownHostKeys(['127.0.0.3'], 22, env)?.keys).toEqual([fingerprint(keyBlob(3))]);
    expect(knownHostKeys(['127.0.0.4'], 22, env)).toBeUndefined();
    expect(knownHostKeys(['127.0.0.1'], 22, { ...env, HOMELAB_SSH_KNOWN_HOSTS: 'none' })).toBeUndefined();
  });

  it('trusts a known key when none is pinned; the pin wins over known_hosts; a revoked key is refused', () => {
    write('known_hosts', `127.0.0.1 ssh-ed25519 ${b64(1)}\n@revoked 127.0.0.1 ssh-ed25519 ${b64(2)}\n127.0.0.1 ssh-ed25519 ${b64(2)}\n`);
    const known = resolveTarget('vm-media', '127.0.0.1', undefined, 'ssh', env);
    expect(hostKeyTrusted(known, fingerprint(keyBlob(1)))).toBe(true);
    expect(hostKeyTrusted(known, fingerprint(keyBlob(2)))).toBe(false);
    expect(hostKeyTrusted(known, fingerprint(keyBlob(9)))).toBe(false);
    const pinned = resolveTarget('vm-media', '127.0.0.1', { hostKey: fingerprint(keyBlob(9)) }, 'ssh', env);
    expect(hostKeyTrusted(pinned, fingerprint(keyBlob(9)))).toBe(true);
    expect(hostKeyTrusted(pinned, fingerprint(keyBlob(1)))).toBe(false);
    const none = resolveTarget('vm-dev', '127.0.0.2', undefined, 'ssh', env);
    expect(none.known).toBeUndefined();
    expect(hostKeyTrusted(none, fingerprint(keyBlob(1)))).toBe(false);
  });
});
