import { describe, expect, it } from 'vitest';
import {
  SANOID_KEYS,
  directoryMappingId,
  directoryMappings,
  intervalSeconds,
  onCalendar,
  renderDirectoryMappings,
  renderNode,
  renderSanoid,
  renderSyncoid,
  retentionSeconds,
  syncoidArgv,
  type Lab,
} from '../src/internal.js';
import { withHost } from './mutate.js';
import { base, offsite, pve, ref, withTarget } from './storage-fixtures.js';

const content = (lab: Lab, render: typeof renderSanoid, path: string) => render(lab, pve).find((a) => a.path === path)!.content;

describe('sanoid.conf', () => {
  const conf = content(base, renderSanoid, 'sanoid.conf');

  it('writes only keys sanoid knows, and every template a section uses', () => {
    const keys = [...conf.matchAll(/^\t(\w+) = /gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => !SANOID_KEYS.includes(k))).toEqual([]);
    const used = new Set([...conf.matchAll(/^\tuse_template = (\S+)$/gm)].map((m) => m[1]));
    const defined = new Set([...conf.matchAll(/^\[template_(\S+)\]$/gm)].map((m) => m[1]));
    expect(used).toEqual(defined);
  });

  it('states all six counts in every template, so sanoid\'s defaults (hourly 48, daily 90, monthly 6) never apply', () => {
    for (const template of conf.split('\n[template_').slice(1)) {
      for (const kind of ['frequently', 'hourly', 'daily', 'weekly', 'monthly', 'yearly']) expect(template).toMatch(new RegExp(`^\\t${kind} = \\d+$`, 'm'));
    }
  });

  it('gives the replica target no snapshots of its own, and manages what it receives below it', () => {
    expect(conf).toContain('[tank/backups]\n\tuse_template = replica\n\trecursive = yes\n');
    expect(conf).toMatch(/\[template_replica\][^[]*\tautosnap = no\n/);
  });
});

describe('directory.cfg (virtiofs mappings)', () => {
  const cfg = content(base, renderDirectoryMappings, 'directory.cfg');

  it('follows PVE::Mapping::Dir: a bare pve-configid line, tab-indented map and description, a blank line after each', () => {
    const sections = cfg.replace(/^#.*\n/gm, '').split('\n\n').filter(Boolean);
    // One section per dataset some VM mounts.
    expect(sections.length).toBe(new Set(base.hosts.filter((h) => h.kind === 'vm').flatMap((h) => h.storage.map((d) => d.name))).size);
    for (const section of sections) {
      const [id, ...props] = section.split('\n');
      expect(id).toMatch(/^[a-z][a-z0-9_-]+$/i);
      const nodes = new Set<string>();
      for (const line of props) {
        const m = /^\t(map|description) (.+)$/.exec(line);
        expect(m, line).not.toBeNull();
        if (m![1] === 'map') {
          const map = /^node=([a-zA-Z0-9-]+),path=(\/[^;,=()]+)$/.exec(m![2]!);
          expect(map, line).not.toBeNull();
          expect(nodes.has(map![1]!)).toBe(false);
          nodes.add(map![1]!);
        }
      }
      expect(nodes.size).toBeGreaterThan(0);
    }
  });

  it('has one mapping per dataset a VM mounts, named as the VM\'s virtiofs line names it', () => {
    expect(directoryMappingId(ref('services/media'))).toBe('tank-services-media');
    expect(cfg).toContain('tank-services-media\n\tmap node=pve,path=/tank/services/media\n\tdescription ZFS dataset tank/services/media for vm-media (virtiofs)\n');
    const shared = withHost(base, 'vm-media', (h) => ({ ...h, storage: [...h.storage, ref('services/apps')] }));
    const media = shared.hosts.find((h) => h.name === 'vm-media')!;
    const two = { ...shared, hosts: [...shared.hosts, { ...media, name: 'vm-other', node: 'pve2', storage: [ref('services/apps')] }] };
    const apps = directoryMappings(two).find((m) => m.id === 'tank-services-apps')!;
    expect([...apps.map]).toEqual([['pve', '/tank/services/apps'], ['pve2', '/tank/services/apps']]);
    expect(apps.users).toEqual(['vm-apps', 'vm-media', 'vm-other']);
  });
});

describe('syncoid units', () => {
  it('run syncoid with the source\'s snapshots, no rollback on the target, the key and a strict host-key check', () => {
    expect(syncoidArgv(offsite, 'tank', 'services/apps')).toEqual([
      '/usr/sbin/syncoid',
      '--no-sync-snap',
      '--no-rollback',
      '--no-privilege-elevation',
      '--sshkey=/root/.ssh/syncoid_offsite_ed25519',
      '--sshoption=StrictHostKeyChecking=yes',
      'tank/services/apps',
      'syncoid@offsite.home.arpa:backup/homelab/services/apps',
    ]);
  });

  it('pin a given host key in a known_hosts file of their own, with the port', () => {
    const lab = withTarget(base, { user: 'root', port: 2222, hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp', bandwidthLimit: '20m' });
    const node = lab.nodes![0]!;
    const argv = syncoidArgv(node.replication![0]!, 'tank', 'media/user');
    expect(argv).not.toContain('--no-privilege-elevation');
    expect(argv).toEqual(expect.arrayContaining(['--sshport=2222', '--sshoption=UserKnownHostsFile=/etc/syncoid/offsite.known_hosts', '--source-bwlimit=20m']));
    const known = renderSyncoid(lab, node).find((a) => a.kind === 'ssh-known-hosts')!;
    expect(known.content).toBe('[offsite.home.arpa]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKp\n');
  });

  it('restart the timer when it changes; the service runs when the timer fires', () => {
    const units = renderSyncoid(base, pve);
    expect(units.find((a) => a.path === 'syncoid-offsite-media-user.timer')!.install).toMatchObject({ path: '/etc/systemd/system/syncoid-offsite-media-user.timer', restart: 'syncoid-offsite-media-user.timer' });
    expect(units.find((a) => a.path === 'syncoid-offsite-media-user.service')!.install!.restart).toBeUndefined();
  });

  it.each([
    ['1h', '01:30', '*-*-* 00/1:30:00'],
    ['6h', '01:30', '*-*-* 01/6:30:00'],
    ['6h', '13:05', '*-*-* 01/6:05:00'],
    ['24h', '02:30', '*-*-* 02:30:00'],
    ['1d', '02:30', '*-*-* 02:30:00'],
    ['7d', '03:00', 'Mon *-*-* 03:00:00'],
    ['5h', '01:30', undefined],
    ['1d', '24:00', undefined],
  ] as const)('every %s at %s -> OnCalendar %s', (every, at, expected) => {
    expect(onCalendar(every, at)).toBe(expected);
  });

  it('measure intervals and retention as sanoid prunes', () => {
    expect(intervalSeconds('6h')).toBe(21600);
    expect(intervalSeconds('1d')).toBe(86400);
    expect(intervalSeconds('48h')).toBeUndefined();
    expect(retentionSeconds(pve.snapshots.services!)).toBe(14 * 86400);
    expect(retentionSeconds(pve.snapshots.media!)).toBe(6 * 31 * 86400);
  });
});

describe('the Proxmox host\'s manifest', () => {
  it('is kind pve with its node and address, and no vmid', () => {
    const { manifest, artifacts } = renderNode(base, pve);
    expect(manifest).toMatchObject({ host: 'pve', kind: 'pve', address: '192.168.0.2', node: 'pve' });
    expect('vmid' in manifest).toBe(false);
    expect(artifacts.map((a) => a.kind)).toContain('zfs-plan');
  });
});
