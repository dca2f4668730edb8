import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, repoRoot, snapshotDir, type Workspace } from '@homelab/testing';
import { STACK_TRACE, homelab } from './run-cli.js';

// Each test starts the real CLI (a fresh workspace bundles its lab first): allow for a busy machine.
const SLOW = { timeout: 60_000 };

const captured = (scenario: string) => join(repoRoot, 'tools', 'kit', 'test', 'fixtures', 'zfs', scenario);

let ws: Workspace;
beforeAll(() => {
  ws = makeWorkspace(['vm-media', 'pve']);
}, 60_000);
afterAll(() => ws.remove());

describe('homelab build pve', SLOW, () => {
  it('renders the Proxmox host: dataset plan, sanoid.conf, syncoid units, directory mappings, manifest', () => {
    const r = homelab(ws.root, 'build', 'pve');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const dist = snapshotDir(ws.path('packages/pve/dist'));
    expect(Object.keys(dist)).toEqual(expect.arrayContaining(['manifest.json', 'zfs-datasets.json', 'sanoid.conf', 'directory.cfg', 'syncoid-offsite-services-apps.service', 'syncoid-offsite-services-apps.timer']));
    const manifest = JSON.parse(dist['manifest.json']!);
    expect(manifest).toMatchObject({ host: 'pve', kind: 'pve', address: '192.168.0.2', node: 'pve' });
    expect(manifest.vmid).toBeUndefined();
    expect(new Set(manifest.artifacts.map((a: { kind: string }) => a.kind))).toEqual(new Set(['zfs-plan', 'sanoid', 'syncoid', 'pve-dir-mapping', 'pve-firewall', 'pve-storage', 'pve-jobs', 'node-exporter', 'script', 'systemd', 'sshd-config']));
  });
});

describe('homelab zfs-plan', SLOW, () => {
  it('plans from captured outputs, as text and as JSON', () => {
    const text = homelab(ws.root, 'zfs-plan', '--from', captured('drifted'));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('+ create  tank/backups (atime=off, compression=lz4, readonly=off)');
    expect(text.stdout).toContain('zfs set recordsize=1M tank/media');
    expect(text.stdout).toContain('[zfs-creation-only]');
    expect(text.stdout).toContain('left alone (not in the layout): tank/vm-120-disk-0');
    const json = homelab(ws.root, 'zfs-plan', 'pve', '--from', captured('converged'), '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ pool: 'tank', actions: [], findings: [] });
  });

  it('exits 1 when the pool is missing, and 2 without --from, naming the commands to capture', () => {
    const missing = homelab(ws.root, 'zfs-plan', '--from', captured('no-pool'));
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('zfs-pool-missing');
    const usage = homelab(ws.root, 'zfs-plan');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('zfs list -H -o name,type -r -t filesystem,volume tank > zfs-list.txt');
    expect(usage.stdout + usage.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('homelab inventory --datasets', SLOW, () => {
  it('prints the dataset tree with properties, snapshots, replication and users; --json as one document', () => {
    const text = homelab(ws.root, 'inventory', '--datasets');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('tank  (pool on pve, 192.168.0.2)');
    expect(text.stdout).toMatch(/ {4}library {2}- movies\/ and shows\/[\s\S]*?writable by roles download[\s\S]*?used by {5}vm-media \(mount\), vm-media\/jellyfin at \/media\/movies \(ro\)/);
    const doc = JSON.parse(homelab(ws.root, 'inventory', '--datasets', '--json').stdout);
    const user = doc.datasets.find((d: { dataset: string }) => d.dataset === 'media/user');
    expect(user).toMatchObject({ snapshots: { policy: 'media' }, replication: [{ target: 'offsite', every: '1d' }] });
  });
});

// The bad-input corpus for the chain from dataset to container: each edit breaks one link in the
// source files; validate names the finding, nothing crashes, and build writes nothing.
const corpus: { name: string; edit: (w: Workspace) => void; code: string; path: string; hosts?: string[] }[] = [
  { name: 'a VM on a node without the pool', edit: (w) => { w.edit('packages/shared/src/facts.ts', "nodes: { pve: { cores: 16, memoryMiB: 65536 } },", "nodes: { pve: { cores: 16, memoryMiB: 65536 }, pve2: { cores: 16, memoryMiB: 65536 } },"); w.edit('packages/vm-media/src/host.ts', "vmid: 122,", "vmid: 122,\n  node: 'pve2',"); }, code: 'dataset-node-mismatch', path: 'vm-media/storage[0]' },
  { name: 'a mounted dataset left without snapshots', edit: (w) => w.edit('packages/pve/src/snapshots.ts', '  media,\n  services: serviceData,', '  media: replica,\n  services: serviceData,'), code: 'dataset-not-snapshotted', path: 'vm-media/storage[2]' },
  { name: 'lxc-smb writing the libraries without passing uid 1000 through', hosts: ['vm-media', 'pve', 'lxc-smb'], edit: (w) => w.edit('packages/lxc-smb/src/host.ts', 'passthroughIds: { uids: [lab.appIds.uid], gids: [lab.appIds.gid] },', ''), code: 'lxc-bind-mount-ids', path: 'lxc-smb/mounts[1]' },
  { name: 'offsite replication outrunning the snapshots', edit: (w) => w.edit('packages/pve/src/replication.ts', 'toleratedFailures: 3,', 'toleratedFailures: 30,'), code: 'replication-retention', path: 'pve/replication[0]/datasets[1]' },
  { name: 'a sanoid key sanoid would refuse', edit: (w) => w.edit('packages/pve/src/snapshots.ts', 'frequentPeriodMinutes: 15,', "frequentPeriodMinutes: 15,\n  sanoid: { prune_defered: 80 },"), code: 'sanoid-key-unknown', path: 'pve/policies/services/sanoid.prune_defered' },
];

describe('the bad-input corpus of the storage chain', SLOW, () => {
  it.each(corpus)('$name -> $code at $path', ({ edit, code, path, hosts }) => {
    const w = makeWorkspace(hosts ?? ['vm-media', 'pve']);
    try {
      edit(w);
      const r = homelab(w.root, 'build', '--json');
      expect(r.code, r.stderr).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.findings.map((f: { code: string; path: string }) => [f.code, f.path])).toContainEqual([code, path]);
      expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
      expect(snapshotDir(w.path('packages/pve/dist'))).toEqual({});
      expect(snapshotDir(w.path('packages/vm-media/dist'))).toEqual({});
    } finally {
      w.remove();
    }
  });
});
