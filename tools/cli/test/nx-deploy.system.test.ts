import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNxWorkspace, snapshotDir, startSshd, type NxWorkspace, type TestSshd } from '@homelab/testing';
import { encryptValue, newIdentity } from '@homelab/kit';
import { loadLab, serviceSecrets } from '@homelab/kit/internal';

// `nx run vm-media:plan` and `nx run vm-media:deploy --dry-run` on this workspace, with vm-media
// pointed at a test sshd on 127.0.0.1 through HOMELAB_DEPLOY_VM_MEDIA_* (never its real address).
// The host already holds an older release of vm-media, so plan has something to compare with.
// Nx runs in a copy of this workspace that shares this one's Nx cache: run here, Nx would restore
// tools/kit/lib from its cache (deleting it first) under the homelab commands other tests run.
let ws: NxWorkspace;
let dir: string;
let sshd: TestSshd;
let env: NodeJS.ProcessEnv;
let releaseRoot: string;
const SECRET = `nx-secret-${Math.random().toString(36).slice(2)}`;

const nx = (...args: string[]) => ws.nxWith(env, ...args);

beforeAll(async () => {
  ws = makeNxWorkspace({ sharedCache: true });
  dir = mkdtempSync(join(tmpdir(), 'homelab-nx-deploy-'));
  sshd = await startSshd(join(dir, 'sshd'));
  releaseRoot = join(dir, 'root');
  const { identity, recipient } = await newIdentity();
  const secrets = join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true });
  // Every secret vm-media's release reads: its services' (the model's) and the VMs' authorized keys (cloud-init).
  const media = (await loadLab(ws.root)).lab.hosts.find((h) => h.name === 'vm-media')!;
  const names = new Set([...media.services.flatMap((s) => serviceSecrets(s).map((r) => r.name)), 'vm_ssh_authorized_keys']);
  for (const name of names) writeFileSync(join(secrets, `${name}.age`), await encryptValue(SECRET, [recipient]));
  // An older vm-media release on the host: a compose file with an older jellyfin tag.
  const old = join(releaseRoot, 'vm-media', 'releases', '0000000000000001');
  mkdirSync(old, { recursive: true });
  const compose = 'name: vm-media\nservices:\n  jellyfin:\n    image: jellyfin/jellyfin:10.9.0\n';
  writeFileSync(join(old, 'compose.yaml'), compose);
  const manifest = { host: 'vm-media', kind: 'vm', address: '192.168.0.22', vmid: 122, node: 'pve', artifacts: [{ path: 'compose.yaml', kind: 'compose', sha256: 'old' }] };
  writeFileSync(
    join(old, 'release.json'),
    JSON.stringify({ id: '0000000000000001', host: 'vm-media', project: 'vm-media', composeFiles: ['compose.yaml'], services: { jellyfin: { secrets: [], files: [] } }, manifest, secrets: {}, record: { by: 'earlier@ci', commit: 'abc123', at: '2026-01-01T00:00:00Z' } }),
  );
  symlinkSync('releases/0000000000000001', join(releaseRoot, 'vm-media', 'current'));
  env = {
    ...process.env,
    CI: 'true',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    HOMELAB_DEPLOY_VM_MEDIA_ADDRESS: '127.0.0.1',
    HOMELAB_DEPLOY_VM_MEDIA_PORT: String(sshd.port),
    HOMELAB_DEPLOY_VM_MEDIA_HOSTKEY: sshd.hostKey,
    HOMELAB_DEPLOY_VM_MEDIA_ROOT: releaseRoot,
    // A dry run checks that the compose command runs on the host: this machine has v1.
    HOMELAB_DEPLOY_VM_MEDIA_COMPOSE: 'docker-compose',
    HOMELAB_DEPLOY_KEY: sshd.clientKey,
    // vm-media's Proxmox node (192.168.0.2) must never be contacted from a test.
    HOMELAB_DEPLOY_ALLOWED_ADDRESSES: '127.0.0.1',
    HOMELAB_SECRETS_DIR: secrets,
    HOMELAB_AGE_IDENTITY: identity,
  };
  // No agent: the deploy key is the only key offered (undefined: the variable is left out).
  env.SSH_AUTH_SOCK = undefined;
}, 180_000);

afterAll(async () => {
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  ws?.remove();
});

describe('nx targets against a test sshd', () => {
  it('nx run vm-media:plan shows the per-file diff, the services to recreate and the record', () => {
    const r = nx('run', 'vm-media:plan');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('runs release 0000000000000001 (deployed by earlier@ci, commit abc123, 2026-01-01T00:00:00Z)');
    expect(r.out).toMatch(/changed\s+compose\.yaml/);
    expect(r.out).toMatch(/-\s+image: jellyfin\/jellyfin:10\.9\.0/);
    expect(r.out).toMatch(/recreate\s+jellyfin\n/);
    // Every service of the built stack but jellyfin (the only one the host runs) is to be created.
    const built = readFileSync(join(ws.root, 'packages', 'vm-media', 'dist', 'compose.yaml'), 'utf8');
    const services = [...built.matchAll(/^  ([a-z0-9-]+):$/gm)].map((m) => m[1]!).filter((n) => n !== 'jellyfin').sort();
    expect(services.length).toBeGreaterThan(3);
    expect(r.out).toContain(`create    ${services.join(', ')}`);
  });

  it('nx run vm-media:deploy --dry-run rehearses the deploy and changes nothing on the host', () => {
    const before = snapshotDir(releaseRoot);
    const r = nx('run', 'vm-media:deploy', '--dry-run');
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('dry run: nothing was changed on vm-media.');
    expect(r.out).not.toContain('would stop');
    expect(r.out).not.toContain(SECRET);
    expect(snapshotDir(releaseRoot)).toEqual(before);
    expect(readFileSync(join(ws.root, 'packages', 'vm-media', 'dist', 'compose.yaml'), 'utf8')).not.toContain(SECRET);
  });

  it('a dry run says when the real deploy would stop (a secret without a value)', () => {
    const saved = env;
    env = { ...env, HOMELAB_SECRETS_DIR: join(dir, 'no-secrets') };
    try {
      const r = nx('run', 'vm-media:deploy', '--dry-run');
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('the deploy would stop: vm-media needs secret(s) with no encrypted value in the store: gluetun_wireguard_addresses, gluetun_wireguard_private_key');
    } finally {
      env = saved;
    }
  });
});
