import { describe, expect, it } from 'vitest';
import { checkPveSectionFile, poolSyncJobs, validateLab, type PveSectionFile } from '../src/internal.js';
import { clusterCases } from './cluster-cases.js';
import { clusterLab } from './cluster-fixture.js';
import { realLab } from './fixtures.js';

// Each case breaks the three-node lab in one way and must give its one finding, with its path.
describe('cluster rules', () => {
  it.each(clusterCases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const found = validateLab(c.mutate(clusterLab)).filter((f) => f.severity === 'error');
    expect(found.map((f) => `${f.code} @ ${f.path}`)).toContain(`${c.code} @ ${c.path}`);
  });

  it('names the node in a storage finding', () => {
    const f = validateLab(clusterCases.find((c) => c.code === 'node-storage-exceeded')!.mutate(clusterLab)).find((x) => x.code === 'node-storage-exceeded')!;
    expect(f.message).toContain('node pve3');
    expect(f.message).toContain('local-zfs');
  });

  it('warns when HA guests are declared on a single node', () => {
    const lab = { ...realLab, facts: { ...realLab.facts, proxmox: { ...realLab.facts.proxmox, ha: { guests: { 'lxc-vpn': {} } } } } };
    const found = validateLab(lab).filter((f) => f.code === 'ha-invalid');
    expect(found.map((f) => `${f.severity} @ ${f.path}`)).toEqual(['warning @ shared/proxmox/ha']);
  });

  it('warns that an even number of nodes without a QDevice loses quorum with half of them away, and not with a QDevice', () => {
    const { pve3: _gone, ...two } = clusterLab.facts.proxmox.nodes;
    const even = (qdevice?: string) => ({ ...clusterLab, facts: { ...clusterLab.facts, proxmox: { ...clusterLab.facts.proxmox, cluster: { name: 'homelab', ...(qdevice ? { qdevice } : {}) }, nodes: two, placement: [], ha: undefined } } });
    expect(validateLab(even()).filter((f) => f.code === 'cluster-quorum-even').map((f) => `${f.severity} @ ${f.path}`)).toEqual(['warning @ shared/proxmox/cluster.qdevice']);
    expect(validateLab(even('192.168.0.5')).filter((f) => f.code === 'cluster-quorum-even')).toEqual([]);
    expect(validateLab(clusterLab).filter((f) => f.code.startsWith('cluster-'))).toEqual([]);
  });

  it('counts a VM as writing a share only when a service of it mounts the share writable', () => {
    const media = clusterLab.hosts.find((h) => h.name === 'vm-media')!;
    const readOnlyLibrary = (v: object) => ('dataset' in v && (v as { dataset: { name: string } }).dataset.name === 'media/library' ? { ...v, readOnly: true } : v);
    const moved = { ...media, node: 'pve2', services: media.services.map((s) => ({ ...s, volumes: s.volumes?.map(readOnlyLibrary) })) } as typeof media;
    const lab = { ...clusterLab, hosts: clusterLab.hosts.map((h) => (h.name === 'vm-media' ? moved : h)) };
    expect(validateLab(lab).filter((f) => f.code === 'pool-copies-diverge')).toEqual([]);
    expect(poolSyncJobs(lab).filter((j) => j.dataset === 'media/library')).toEqual([{ dataset: 'media/library', from: 'pve', to: 'pve2' }]);
    expect(poolSyncJobs(lab).filter((j) => j.dataset === 'services/media')).toEqual([{ dataset: 'services/media', from: 'pve2', to: 'pve' }]);
  });

  it('accepts a VM made HA with a declared acceptance of offline migration', () => {
    expect(validateLab(clusterLab).filter((f) => f.code.startsWith('ha-'))).toEqual([]);
  });
});

// The reader of Proxmox's files: failing examples of each (what pve-ha-manager / pvesr would refuse).
const bad: { file: PveSectionFile; text: string; message: string }[] = [
  { file: 'ha-resources', text: 'vm: 12a\n\tstate started\n', message: "the id '12a' is refused: invalid VMID" },
  { file: 'ha-resources', text: 'pod: 120\n\tstate started\n', message: "no such section type 'pod'" },
  { file: 'ha-resources', text: 'vm: 120\n\tstate running\n', message: "state 'running' is not one of started, stopped, enabled, disabled, ignored" },
  { file: 'ha-resources', text: 'ct: 111\n\tmax_restart -1\n', message: "max_restart '-1' is not a whole number" },
  { file: 'ha-resources', text: 'vm: 120\n\tnodes pve\n', message: "vm: 120 has no property 'nodes'" },
  { file: 'ha-resources', text: 'vm: 120\nstate started\n', message: 'is neither a property nor a section header' },
  { file: 'ha-rules', text: 'node-affinity: pin\n\tresources vm:120\n', message: 'node-affinity: pin lacks its required nodes' },
  { file: 'ha-rules', text: 'node-affinity: pin\n\tresources vm:120\n\tnodes pve:x\n', message: "nodes 'pve:x' is not a list of <node>[:<priority>]" },
  { file: 'ha-rules', text: 'resource-affinity: apart\n\tresources vm120,ct:111\n\taffinity negative\n', message: "resources 'vm120,ct:111' is not a list of vm:<vmid> or ct:<vmid>" },
  { file: 'ha-rules', text: 'resource-affinity: apart\n\tresources vm:120,ct:111\n\taffinity away\n', message: "affinity 'away' is not one of positive, negative" },
  { file: 'ha-rules', text: 'node-affinity: 1pin\n\tresources vm:120\n\tnodes pve\n', message: "the id '1pin' is not a pve-configid" },
  { file: 'ha-groups', text: 'group: g\n\tnodes pve\n\tstrict 1\n', message: "group: g has no property 'strict'" },
  { file: 'replication', text: 'local: 99-0\n\ttarget pve2\n', message: 'guest IDs < 100 are reserved' },
  { file: 'replication', text: 'local: 120-0\n\tschedule */15\n', message: 'local: 120-0 lacks its required target' },
  { file: 'replication', text: 'local: 120-0\n\ttarget pve2\n\tschedule often\n', message: "schedule 'often' is not a calendar event" },
  { file: 'replication', text: 'local: 120-0\n\ttarget pve2\n\trate 0.5\n', message: "rate '0.5' is not a rate of at least 1" },
  { file: 'replication', text: 'local: 120-0\n\ttarget pve2\n\n\nlocal: 120-0\n\ttarget pve3\n', message: 'local: 120-0 appears twice' },
];

describe('the HA and replication file reader', () => {
  it.each(bad.map((b) => [`${b.file}: ${b.message}`, b] as const))('refuses %s', (_n, b) => {
    expect(checkPveSectionFile(b.file, b.text).map((p) => p.message).join('\n')).toContain(b.message);
  });

  it('takes what Proxmox writes', () => {
    expect(checkPveSectionFile('ha-rules', '# a comment\nnode-affinity: pin\n\tresources vm:120,ct:111\n\tnodes pve:2,pve2\n\tstrict 1\n\nresource-affinity: apart\n\taffinity negative\n\tresources ct:111,ct:112\n')).toEqual([]);
    expect(checkPveSectionFile('replication', 'local: 120-0\n\ttarget pve2\n\tschedule */15\n\trate 50\n')).toEqual([]);
  });
});
