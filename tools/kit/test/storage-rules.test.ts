import { describe, expect, it } from 'vitest';
import { rules, validateLab, type Lab } from '../src/internal.js';

/** The rules of the storage layer: those after the storage rule in the registry. */
const STORAGE_LAYER = rules.slice(rules.findIndex((r) => r.codes.includes('zfs-property-unknown')));
import { guestBackupCases } from './guest-backup-cases.js';
import { isPlaceholderHost } from '../src/validate/rules/storage-replication.js';
import { withFacts, withHost } from './mutate.js';
import { base, lxcWith, offsite, pve, ref, withDatasets, withLxc, withNode, withPolicy, withProperty, withTarget } from './storage-fixtures.js';

const errors = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'error');
const services = pve.snapshots.services!;
const media = pve.snapshots.media!;
const replica = pve.snapshots.backups!;

describe('the real lab', () => {
  it('has no storage errors', () => {
    expect(errors(base)).toEqual([]);
  });
});

// Each row breaks one thing of the real lab (vm-media + pve) and names the finding it must produce.
const cases: { name: string; lab: () => Lab; code: string; path: string }[] = [
  // the layout
  { name: 'a property zfs does not know', lab: () => withProperty(base, 'media', 'recsize2', '1M'), code: 'zfs-property-unknown', path: 'shared/zfs/media/properties.recsize2' },
  { name: 'a recordsize that is no power of two', lab: () => withProperty(base, 'media', 'recordsize', '3M'), code: 'zfs-property-value', path: 'shared/zfs/media/properties.recordsize' },
  { name: 'a compression zfs does not have', lab: () => withProperty(base, 'services', 'compression', 'brotli'), code: 'zfs-property-value', path: 'shared/zfs/services/properties.compression' },
  { name: 'a property without its reason', lab: () => withProperty(base, 'media', 'atime', 'off', ''), code: 'zfs-property-reason', path: 'shared/zfs/media/properties.atime' },
  { name: 'a dataset without its parent', lab: () => withDatasets(base, { 'archive/old': { purpose: 'old things' } }), code: 'zfs-parent-missing', path: 'shared/zfs/archive/old' },
  { name: 'normalization with utf8only off', lab: () => withProperty(base, 'media/user', 'utf8only', 'off'), code: 'zfs-property-conflict', path: 'shared/zfs/media/user/properties.utf8only' },
  // the Proxmox host
  { name: 'a node the facts do not list', lab: () => withNode(base, () => ({ node: 'pve9' })), code: 'pve-node-unknown', path: 'pve/node' },
  { name: 'a pool the facts do not describe', lab: () => withNode(base, () => ({ pool: 'rpool' })), code: 'pve-pool-unknown', path: 'pve/pool' },
  // dataset -> node -> guest -> container (the storage rule checks mounts against storage and owners)
  { name: 'a guest on a node without the pool', lab: () => withHost(withFacts(base, (f) => ({ ...f, proxmox: { ...f.proxmox, nodes: { ...f.proxmox.nodes, pve2: { cores: 8, memoryMiB: 32768 } } } })), 'vm-media', (h) => ({ ...h, node: 'pve2' })), code: 'dataset-node-mismatch', path: 'vm-media/storage[0]' },
  { name: 'a dataset name Proxmox cannot use as a mapping id', lab: () => withHost(withDatasets(base, { 'services/media.old': { purpose: 'x' } }), 'vm-media', (h) => ({ ...h, storage: [...h.storage, ref('services/media.old')] })), code: 'directory-mapping-id-invalid', path: 'vm-media/storage[3]' },
  { name: 'two datasets with one mapping id', lab: () => withDatasets(base, { 'services/a': { purpose: 'a' }, 'services/a-b': { purpose: 'x' }, 'services/a/b': { purpose: 'y' } }), code: 'directory-mapping-id-invalid', path: 'shared/zfs/services/a/b' },
  { name: 'an unprivileged LXC service writing as container uid 1000 what radarr writes as 1000', lab: () => withLxc(base, lxcWith({ environment: { PUID: 1000, PGID: 1000 } })), code: 'lxc-bind-mount-ids', path: 'lxc-test/app/volumes[0]' },
  { name: 'an unprivileged LXC service running as root', lab: () => withLxc(base, lxcWith({})), code: 'lxc-bind-mount-ids', path: 'lxc-test/app/volumes[0]' },
  { name: 'a privileged LXC service with the wrong group', lab: () => withLxc(base, lxcWith({ user: '1000:0' }, { unprivileged: false })), code: 'lxc-bind-mount-ids', path: 'lxc-test/app/volumes[0]' },
  { name: 'lxc-smb without its lxc.idmap passthrough', lab: () => withHost(base, 'lxc-smb', (h) => ({ ...h, passthroughIds: undefined }) as typeof h), code: 'lxc-bind-mount-ids', path: 'lxc-smb/mounts[1]' },
  // snapshots
  { name: 'a mounted dataset no policy covers', lab: () => withPolicy(base, 'services', undefined), code: 'dataset-not-snapshotted', path: 'vm-media/storage[0]' },
  { name: 'a mounted dataset under the replica policy', lab: () => withPolicy(base, 'services/media', replica), code: 'dataset-not-snapshotted', path: 'vm-media/storage[0]' },
  { name: 'a policy assigned to no dataset', lab: () => withPolicy(base, 'services/nope', services), code: 'snapshot-dataset-unknown', path: 'pve/snapshots/services/nope' },
  { name: 'a policy named default', lab: () => withPolicy(base, 'media', { ...media, name: 'default' }), code: 'snapshot-policy-invalid', path: 'pve/policies/default/name' },
  { name: 'two policies with one name', lab: () => withPolicy(base, 'media', { ...media, name: 'services' }), code: 'snapshot-policy-invalid', path: 'pve/policies/services/name' },
  { name: 'a negative count', lab: () => withPolicy(base, 'media', { ...media, keep: { daily: -1 } }), code: 'snapshot-policy-invalid', path: 'pve/policies/media/keep.daily' },
  { name: 'a frequent period that does not divide the hour', lab: () => withPolicy(base, 'services', { ...services, frequentPeriodMinutes: 7 }), code: 'snapshot-policy-invalid', path: 'pve/policies/services/frequentPeriodMinutes' },
  { name: 'an extra key the typed fields set', lab: () => withPolicy(base, 'services', { ...services, sanoid: { daily: 3 } }), code: 'snapshot-policy-invalid', path: 'pve/policies/services/sanoid.daily' },
  { name: 'a sanoid key sanoid does not know', lab: () => withPolicy(base, 'services', { ...services, sanoid: { prune_defer2: 80 } }), code: 'sanoid-key-unknown', path: 'pve/policies/services/sanoid.prune_defer2' },
  // replication
  { name: 'a target host with a space', lab: () => withTarget(base, { host: 'offsite box' }), code: 'replication-target-invalid', path: 'pve/replication[0]/host' },
  { name: 'the offsite pushed as root: its key could destroy every copy', lab: () => withTarget(base, { user: 'root' }), code: 'replication-target-root', path: 'pve/replication[0]/user' },
  { name: 'the offsite with no user (root by default)', lab: () => withTarget(base, { user: undefined }), code: 'replication-target-root', path: 'pve/replication[0]/user' },
  { name: 'a placeholder .example.net target', lab: () => withTarget(base, { host: 'offsite.example.net' }), code: 'replication-target-placeholder', path: 'pve/replication[0]/host' },
  { name: 'a placeholder .invalid target', lab: () => withTarget(base, { host: 'backup.invalid' }), code: 'replication-target-placeholder', path: 'pve/replication[0]/host' },
  { name: 'a placeholder .test target', lab: () => withTarget(base, { host: 'nas.test' }), code: 'replication-target-placeholder', path: 'pve/replication[0]/host' },
  { name: 'a placeholder example.com target', lab: () => withTarget(base, { host: 'example.com' }), code: 'replication-target-placeholder', path: 'pve/replication[0]/host' },
  { name: 'a marked dataset no target sends', lab: () => withTarget(base, { datasets: offsite.datasets.filter((d) => d.name !== 'media/user') }), code: 'backup-not-replicated', path: 'shared/zfs/media/user/backup' },
  { name: 'a marked dataset with no target at all', lab: () => withNode(base, () => ({ replication: [] })), code: 'backup-not-replicated', path: 'shared/zfs/services/games/backup' },
  { name: 'a target name that cannot name a unit', lab: () => withTarget(base, { name: 'Off Site' }), code: 'replication-target-invalid', path: 'pve/replication[0]/name' },
  { name: 'a negative number of tolerated failures', lab: () => withTarget(base, { toleratedFailures: -1 }), code: 'replication-target-invalid', path: 'pve/replication[0]/toleratedFailures' },
  { name: 'two targets with one name', lab: () => withNode(base, () => ({ replication: [offsite, offsite] })), code: 'replication-target-invalid', path: 'pve/replication[1]/name' },
  { name: 'an interval the timer cannot keep', lab: () => withTarget(base, { every: '5h' }), code: 'replication-schedule-invalid', path: 'pve/replication[0]/every' },
  { name: 'a start time that is no time', lab: () => withTarget(base, { at: '25:00' }), code: 'replication-schedule-invalid', path: 'pve/replication[0]/at' },
  { name: 'replicating a dataset the layout lacks', lab: () => withTarget(base, { datasets: [ref('services/nope')] }), code: 'dataset-unknown', path: 'pve/replication[0]/datasets[0]' },
  { name: 'replicating the replica target', lab: () => withTarget(base, { datasets: [ref('backups')] }), code: 'replication-not-snapshotted', path: 'pve/replication[0]/datasets[0]' },
  { name: 'replicating a dataset no policy covers', lab: () => withPolicy(withTarget(base, { datasets: [ref('media/user')] }), 'media', undefined), code: 'replication-not-snapshotted', path: 'pve/replication[0]/datasets[0]' },
  { name: 'snapshots pruned before a failed run is retried', lab: () => withTarget(base, { toleratedFailures: 20 }), code: 'replication-retention', path: 'pve/replication[0]/datasets[1]' },
  { name: 'hourly-only snapshots replicated daily', lab: () => withPolicy(base, 'services/infra', { ...services, name: 'short', keep: { frequently: 4, hourly: 24 } }), code: 'replication-retention', path: 'pve/replication[0]/datasets[5]' },
];

describe('every storage rule fails on its example', () => {
  it.each(cases)('$name -> $code at $path', ({ lab, code, path }) => {
    const found = errors(lab());
    expect(found.map((f) => [f.code, f.path])).toContainEqual([code, path]);
    const finding = found.find((f) => f.code === code && f.path === path)!;
    expect(finding.message.length).toBeGreaterThan(40);
  });

  it('has a failing example for every code of the storage rules', () => {
    const storageCodes = STORAGE_LAYER.flatMap((r) => r.codes);
    expect(storageCodes.length).toBeGreaterThanOrEqual(19);
    expect(storageCodes.filter((c) => ![...cases, ...guestBackupCases].some((k) => k.code === c))).toEqual([]);
  });
});

describe('what is allowed', () => {
  const storageErrors = (lab: Lab) => errors(lab).filter((f) => STORAGE_LAYER.some((r) => r.codes.includes(f.code)));

  it('a privileged LXC writing as the other writers do, a read-only mount, and another folder of the dataset', () => {
    expect(storageErrors(withLxc(base, lxcWith({ user: '1000:1000' }, { unprivileged: false })))).toEqual([]);
    expect(storageErrors(withLxc(base, lxcWith({ user: '0', volumes: [{ dataset: ref('media/library'), target: '/data', readOnly: true }] })))).toEqual([]);
    expect(storageErrors(withLxc(base, lxcWith({ user: '0', volumes: [{ dataset: ref('services/media'), sub: 'lxc-only', target: '/data' }] })))).toEqual([]);
  });

  it('a lab without a Proxmox host package checks no snapshots', () => {
    const { nodes: _nodes, ...noNodes } = base;
    expect(errors(withPolicy(noNodes, 'services', undefined))).toEqual([]);
  });

  it('a real-looking target name is no placeholder; the reserved ones are', () => {
    expect(['offsite.home.arpa', 'backup.tail1234.ts.net', 'myexample.net', 'examples.com', 'test.lan', '192.168.1.50'].filter(isPlaceholderHost)).toEqual([]);
    expect(['offsite.example.net', 'example.org', 'a.b.example', 'nas.invalid', 'nas.test', 'localhost', 'OFFSITE.EXAMPLE.NET.'].filter((h) => !isPlaceholderHost(h))).toEqual([]);
  });

  it('the real lab sends every dataset the layout marks backup, services/games among them', () => {
    expect(offsite.datasets.map((d) => d.name)).toContain('services/games');
    expect(offsite.datasets.map((d) => d.name).sort()).toEqual(Object.entries(base.facts.zfs.datasets).filter(([, s]) => s.backup).map(([n]) => n).sort());
  });

  it('a dataset assigned no policy of its own takes its parent\'s', () => {
    expect(storageErrors(withPolicy(base, 'services/media', undefined))).toEqual([]);
  });
});
