import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPveSectionFile, guestNode, labInventory, labMachines, labReference, manifestJson, placementSource, renderHost, validateLab, type Lab, type PveSectionFile,
} from '../src/internal.js';
import { clusterLab, clusterLabPve8 } from './cluster-fixture.js';
import { realLab } from './fixtures.js';

// The three-node variant of the seed (cluster-fixture.ts) validates, renders and shows each
// guest's node; its new files are pinned in fixtures/cluster/golden (`pnpm test -u` updates them).
const golden = (lab: string, path: string) => join(import.meta.dirname, 'fixtures', 'cluster', 'golden', lab, path);
const errors = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'error').map((f) => `${f.code} @ ${f.path}: ${f.message}`);
const pveOf = (lab: Lab) => renderHost(lab, lab.nodes!.find((n) => n.name === 'pve')!);
const KIND_FILE: Record<string, PveSectionFile> = { 'pve-ha-resources': 'ha-resources', 'pve-ha-rules': 'ha-rules', 'pve-ha-groups': 'ha-groups', 'pve-replication': 'replication' };

describe('the three-node lab', () => {
  it('validates without errors, on PVE 9 and on PVE 8', () => {
    expect(errors(clusterLab)).toEqual([]);
    expect(errors(clusterLabPve8)).toEqual([]);
  });

  it('places each guest by its own node, a placement rule, or the default', () => {
    const where = Object.fromEntries(clusterLab.hosts.map((h) => [h.name, `${guestNode(clusterLab.facts, h)} (${placementSource(clusterLab.facts, h).by})`]));
    expect(where).toEqual({
      'lxc-dns': 'pve (default)',
      'lxc-smb': 'pve (default)',
      'lxc-vpn': 'pve3 (rule)',
      'vm-apps': 'pve (default)',
      'vm-dev': 'pve2 (host)',
      'vm-games': 'pve2 (rule)',
      'vm-infra': 'pve (default)',
      'vm-media': 'pve (default)',
    });
  });

  it('renders every machine, and each guest manifest names its node', () => {
    for (const host of labMachines(clusterLab)) {
      const { manifest } = renderHost(clusterLab, host);
      expect(manifest.node).toBe(host.kind === 'pve' ? 'pve' : guestNode(clusterLab.facts, host));
    }
  });

  it('pins the cluster files the pool node renders (PVE 9: rules; PVE 8: groups)', async () => {
    for (const [name, lab] of [['pve9', clusterLab], ['pve8', clusterLabPve8]] as const) {
      const { artifacts, manifest } = pveOf(lab);
      const cluster = artifacts.filter((a) => a.path.startsWith('ha/') || a.path === 'replication.cfg' || a.path === 'directory.cfg');
      expect(cluster.map((a) => a.path).sort()).toEqual(name === 'pve9' ? ['directory.cfg', 'ha/resources.cfg', 'ha/rules.cfg', 'replication.cfg'] : ['directory.cfg', 'ha/groups.cfg', 'ha/resources.cfg', 'replication.cfg']);
      for (const a of cluster) await expect(a.content).toMatchFileSnapshot(golden(name, a.path));
      await expect(manifestJson(manifest)).toMatchFileSnapshot(golden(name, 'manifest.json'));
    }
  });

  it('marks the bind mounts of an HA container as on every node (pct migrate refuses local bind mounts)', async () => {
    const dns = renderHost(clusterLab, clusterLab.hosts.find((h) => h.name === 'lxc-dns')!).artifacts.find((a) => a.kind === 'pve-lxc')!;
    expect(dns.content).toMatch(/^mp0: .*,shared=1$/m);
    await expect(dns.content).toMatchFileSnapshot(golden('pve9', 'lxc-dns/proxmox/111.conf'));
    const seed = renderHost(realLab, realLab.hosts.find((h) => h.name === 'lxc-dns')!).artifacts.find((a) => a.kind === 'pve-lxc')!;
    expect(seed.content).not.toContain('shared=1');
  });

  it('renders HA files that Proxmox reads without a problem, installed by section merge into /etc/pve', () => {
    for (const lab of [clusterLab, clusterLabPve8]) {
      for (const a of pveOf(lab).artifacts.filter((x) => KIND_FILE[x.kind])) {
        expect(checkPveSectionFile(KIND_FILE[a.kind]!, a.content), a.path).toEqual([]);
        expect(a.install).toEqual({ path: `/etc/pve/${a.path}`, merge: 'sections' });
      }
    }
  });

  it('shows the node of each guest in the inventory and the lab reference', async () => {
    const inv = labInventory(clusterLab);
    expect(inv.hosts.map((h) => `${h.name}@${h.node}`)).toContain('vm-games@pve2');
    expect(inv.hosts.map((h) => `${h.name}@${h.node}`)).toContain('lxc-vpn@pve3');
    await expect(labReference(clusterLab)).toMatchFileSnapshot(golden('pve9', 'lab.md'));
  });

  it('keeps the copies of the pool in step: each dataset from the node that writes it, run from the primary', async () => {
    const { artifacts } = pveOf(clusterLab);
    const sync = artifacts.filter((a) => a.kind === 'pool-sync');
    // Nine datasets the guests mount, each to the one other copy: a service and a timer each.
    expect(sync).toHaveLength(18);
    const games = sync.find((a) => a.path === 'pool-sync/pool-sync-pve2-pve-services-games.service')!;
    expect(games.content).toContain('ExecStart=/usr/sbin/syncoid --no-rollback --sshkey=/root/.ssh/id_rsa --sshoption=StrictHostKeyChecking=yes root@192.168.0.3:tank/services/games tank/services/games\n');
    expect(sync.find((a) => a.path === 'pool-sync/pool-sync-pve-pve2-services-infra.timer')!.content).toContain('OnCalendar=*-*-* *:00/15:00\n');
    for (const a of sync) await expect(a.content).toMatchFileSnapshot(golden('pve9', a.path));
    // What pve receives, its sanoid does not snapshot (the next receive would fail).
    const sanoid = artifacts.find((a) => a.kind === 'sanoid')!.content;
    expect(sanoid).toMatch(/\[tank\/services\/games\]\n\tuse_template = services\n\tautosnap = no\n/);
    expect(sanoid).not.toMatch(/\[tank\/services\/infra\]\n\tuse_template = services\n\tautosnap/);
    await expect(sanoid).toMatchFileSnapshot(golden('pve9', 'sanoid.conf'));
  });

  it('runs the backup job on every node, to the storage on each copy of the pool', async () => {
    const { artifacts } = pveOf(clusterLab);
    const jobs = artifacts.find((a) => a.kind === 'pve-jobs')!.content;
    const storage = artifacts.find((a) => a.kind === 'pve-storage')!.content;
    expect(jobs).not.toMatch(/^\tnode /m);
    expect(jobs).toMatch(/^\tvmid 111,113,120,121,122,123,124$/m);
    expect(storage).toMatch(/^\tnodes pve,pve2$/m);
    await expect(jobs).toMatchFileSnapshot(golden('pve9', 'jobs.cfg'));
    await expect(storage).toMatchFileSnapshot(golden('pve9', 'storage.cfg'));
    const seed = pveOf(realLab).artifacts.find((a) => a.kind === 'pve-jobs')!.content;
    expect(seed).toMatch(/^\tnode pve$/m);
  });

  it('renders the host.fw of the nodes without a package of their own, from the same flows as the pool node\'s', async () => {
    const fw = pveOf(clusterLab).artifacts.filter((a) => a.path.startsWith('firewall/nodes/'));
    expect(fw.map((a) => `${a.path} -> ${a.install?.path}`)).toEqual(['firewall/nodes/pve2/host.fw -> /etc/pve/nodes/pve2/host.fw', 'firewall/nodes/pve3/host.fw -> /etc/pve/nodes/pve3/host.fw']);
    const own = pveOf(clusterLab).artifacts.find((a) => a.path === 'firewall/host.fw')!.content;
    for (const a of fw) {
      expect(a.content).toContain('GROUP ssh');
      expect(a.content).toContain('-dport 8006');
      // No guest on pve2 or pve3 exports NFS: only the pool node lets NFSv4 in.
      expect(a.content).not.toContain('2049');
      await expect(a.content).toMatchFileSnapshot(golden('pve9', a.path));
    }
    expect(own).toContain('-dport 2049');
    expect(pveOf(realLab).artifacts.filter((a) => a.path.startsWith('firewall/nodes/'))).toEqual([]);
  });

  it('leaves the single-node seed without any cluster file', () => {
    const paths = pveOf(realLab).artifacts.map((a) => a.path);
    expect(paths.filter((p) => p.startsWith('ha/') || p === 'replication.cfg' || p.startsWith('pool-sync/'))).toEqual([]);
    expect(pveOf(realLab).artifacts.find((a) => a.kind === 'sanoid')!.content).not.toContain('autosnap = no\n\n[tank/services');
  });
});
