import { mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, repoRoot, type Workspace } from '@homelab/testing';
import { decryptFile, loadIdentities } from '@homelab/kit/internal';
import { utils } from 'ssh2';
import { STACK_TRACE } from './run-cli.js';
import { homelabEnv } from './deploy-support.js';

// The deploy commands' contract without a host to deploy to: usage errors exit 2, a deploy that
// cannot go on exits 1 with a code and a message (never a stack trace), secrets set and read back.
let ws: Workspace;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  ws = makeWorkspace(['vm-media']);
  dir = mkdtempSync(join(tmpdir(), 'homelab-deploy-cli-'));
  writeFileSync(join(dir, 'key'), 'not a key\n');
  env = { ...process.env, HOMELAB_DEPLOY_VM_MEDIA_ADDRESS: '127.0.0.1', HOMELAB_DEPLOY_VM_MEDIA_PORT: '1', HOMELAB_DEPLOY_KEY: join(dir, 'key'), HOMELAB_AGE_IDENTITY_FILE: join(dir, 'identity.txt') };
  delete env.SSH_AUTH_SOCK;
  delete env.HOMELAB_AGE_IDENTITY;
});
afterAll(() => {
  ws.remove();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => homelabEnv(ws.root, env, ...args);

describe('homelab plan / deploy / rollback', () => {
  it('exit 2 on usage mistakes', () => {
    expect(cli('deploy').code).toBe(2);
    expect(cli('plan', 'vm-nope').code).toBe(2);
    expect(cli('deploy', 'vm-media', '--wait', 'soon').code).toBe(2);
    expect(cli('rollback', 'vm-media', '--bogus').code).toBe(2);
  });

  it('restore: exit 2 on usage mistakes, exit 1 naming what it cannot restore (before connecting)', () => {
    expect(cli('restore', 'vm-media').code).toBe(2);
    expect(cli('restore', 'vm-media/sonarr').code).toBe(2);
    expect(cli('restore', 'vm-nope/sonarr', '--snapshot', 's').code).toBe(2);
    const unknown = cli('restore', 'vm-media/nope', '--snapshot', 's');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('error [restore-unknown]: vm-media has no service nope; its services: ');
    const nothing = cli('restore', 'vm-media/node-exporter', '--snapshot', 's');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('[restore-nothing]');
    expect(unknown.stdout + unknown.stderr + nothing.stderr).not.toMatch(STACK_TRACE);
    expect(nothing.stderr).not.toContain('connect to');
  });

  it('a host not built yet: exit 1, saying to build it', () => {
    const r = cli('deploy', 'vm-media');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[dist-missing]');
    expect(r.stderr).toContain('nx run vm-media:build');
    expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
  });

  it('a secret without an encrypted value stops the deploy at once', () => {
    expect(cli('build', 'vm-media').code).toBe(0);
    const r = cli('deploy', 'vm-media');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[secret-missing]');
    expect(r.stderr).toContain('gluetun_wireguard_addresses, gluetun_wireguard_private_key');
    expect(r.stderr).not.toContain('connect to vm-media');
  });

  it('a key ssh cannot use, or an unreachable host: exit 1 with what to check; plan --json says it in JSON', () => {
    const bad = cli('plan', 'vm-media');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`[ssh-key-invalid]: cannot use the SSH private key ${join(dir, 'key')} for vm-media`);
    expect(bad.stdout + bad.stderr).not.toMatch(STACK_TRACE);
    writeFileSync(join(dir, 'key'), utils.generateKeyPairSync('ed25519').private);
    const r = cli('plan', 'vm-media');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[ssh-refused]: vm-media refused the connection at 127.0.0.1:1');
    expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
    const j = cli('plan', 'vm-media', '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: { code: 'ssh-refused' } });
  });
});

describe('homelab secret', () => {
  it('keygen writes a 0600 identity; set encrypts stdin to the recipients, and only that identity reads it', async () => {
    const k = cli('secret', 'keygen');
    expect(k.code, k.stderr).toBe(0);
    expect((statSync(join(dir, 'identity.txt')).mode & 0o777).toString(8)).toBe('600');
    const recipient = /your recipient: (age1\S+)/.exec(k.stdout)![1]!;
    expect(cli('secret', 'keygen').code).toBe(2);
    const set = spawnSync(process.execPath, [join(repoRoot, 'tools', 'cli', 'bin', 'homelab.mjs'), 'secret', 'set', 'gluetun_wireguard_private_key', '--host', 'vm-media', '--recipient', recipient], { cwd: ws.root, env, input: 'wg-private-key', encoding: 'utf8' });
    expect(set.status, set.stderr).toBe(0);
    expect(set.stdout).not.toContain('wg-private-key');
    const file = ws.path('secrets', 'vm-media', 'gluetun_wireguard_private_key.age');
    expect(readFileSync(file, 'utf8')).not.toContain('wg-private-key');
    expect(readFileSync(ws.path('secrets', 'recipients.txt'), 'utf8')).toBe(`${recipient}\n`);
    expect(Buffer.from(await decryptFile(file, loadIdentities(env))).toString()).toBe('wg-private-key');
    expect(cli('secret', 'set', 'Bad Name').code).toBe(2);
  });

  it('tls-issue without a reverse proxy in the lab exits 1 with a code, not a stack trace (the openssl path is in tls.system.test.ts)', () => {
    const r = cli('secret', 'tls-issue');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[tls-no-proxy]');
    expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
    expect(cli('secret', 'ca-init', 'extra').code).toBe(2);
  });
});
