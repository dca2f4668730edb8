import type { HaFacts, Lab, LabFacts, ProxmoxNode } from '../src/internal.js';
import { clusterLab } from './cluster-fixture.js';
import type { CorpusCase } from './corpus-cases.js';
import { withHost } from './mutate.js';

type Proxmox = LabFacts['proxmox'];
/** The three-node lab whose nightly backup job covers every guest, lxc-vpn on pve3 (no pool) too. */
export const allGuestsBackedUp = (): Lab => ({ ...clusterLab, nodes: clusterLab.nodes!.map((n) => ({ ...n, guestBackups: n.guestBackups!.map((j) => ({ ...j, guests: 'all' as const })) })) });
const proxmox = (change: (p: Proxmox) => Partial<Proxmox>): Lab => ({ ...clusterLab, facts: { ...clusterLab.facts, proxmox: { ...clusterLab.facts.proxmox, ...change(clusterLab.facts.proxmox) } } });
const ha = (change: (h: HaFacts) => Partial<HaFacts>): Lab => proxmox((p) => ({ ha: { ...p.ha!, ...change(p.ha!) } }));
const node = (name: string, change: Partial<ProxmoxNode>): Lab => proxmox((p) => ({ nodes: { ...p.nodes, [name]: { ...p.nodes[name]!, ...change } } }));

/** The three-node lab broken in one way each: the error it must give (the corpus runs them too). */
export const clusterCases: CorpusCase[] = [
  { name: 'cluster: a cluster name pvecm refuses', mutate: () => proxmox(() => ({ cluster: { name: 'home lab!' } })), code: 'cluster-name-invalid', path: 'shared/proxmox/cluster.name' },
  { name: 'cluster: a placement rule onto a node that does not exist', mutate: () => proxmox((p) => ({ placement: [{ ...p.placement![0]!, node: 'pve9' }] })), code: 'placement-invalid', path: 'shared/proxmox/placement[0].node' },
  { name: 'cluster: a placement rule for a guest that does not exist', mutate: () => proxmox((p) => ({ placement: [{ ...p.placement![0]!, hosts: ['vm-nope'] }] })), code: 'placement-invalid', path: 'shared/proxmox/placement[0].hosts' },
  { name: 'cluster: lxc-vpn on a node without local-zfs', mutate: () => node('pve3', { storageGiB: { local: 100 } }), code: 'node-storage-missing', path: 'lxc-vpn/rootfs.storage' },
  { name: 'cluster: the small node\'s local-zfs too small for its guests', mutate: () => node('pve3', { storageGiB: { 'local-zfs': 2 } }), code: 'node-storage-exceeded', path: 'lab/proxmox/pve3/storageGiB.local-zfs' },
  { name: 'cluster: vm-media moved to the node without the pool', mutate: () => withHost(clusterLab, 'vm-media', (h) => ({ ...h, node: 'pve3' })), code: 'dataset-node-mismatch', path: 'vm-media/storage[0]' },
  { name: 'cluster: an HA guest the lab does not have', mutate: () => ha((h) => ({ guests: { ...h.guests, 'vm-nope': {} } })), code: 'ha-invalid', path: 'shared/proxmox/ha/guests.vm-nope' },
  { name: 'cluster: a node-affinity rule to an unknown node', mutate: () => ha((h) => ({ rules: [{ ...h.rules![0]!, nodes: { pve: 2, pve9: 1 } } as never, h.rules![1]!] })), code: 'ha-rule-invalid', path: 'shared/proxmox/ha/rules[0].nodes.pve9' },
  { name: 'cluster: a rule names a guest that is not HA', mutate: () => ha((h) => ({ rules: [{ ...h.rules![0]!, hosts: ['lxc-dns', 'vm-infra', 'vm-apps'] }, h.rules![1]!] })), code: 'ha-rule-invalid', path: 'shared/proxmox/ha/rules[0].hosts' },
  { name: 'cluster: guests kept apart on Proxmox VE 8', mutate: () => proxmox(() => ({ cluster: { name: 'homelab', pveVersion: 8 } })), code: 'ha-rule-invalid', path: 'shared/proxmox/ha/rules[1].type' },
  { name: 'cluster: guests kept apart while one prefers pve over pve2', mutate: () => ha((h) => ({ rules: [{ ...h.rules![0]!, nodes: { pve: 2, pve2: 1 } } as never, h.rules![1]!] })), code: 'ha-rule-invalid', path: 'shared/proxmox/ha/rules[1].hosts' },
  { name: 'cluster: one guest in two node-affinity rules', mutate: () => ha((h) => ({ rules: [...h.rules!, { id: 'media-node', type: 'node-affinity', hosts: ['vm-infra'], nodes: { pve2: 1 } }] })), code: 'ha-rule-invalid', path: 'shared/proxmox/ha/rules[2].hosts' },
  { name: 'cluster: vm-infra made HA without accepting that virtiofs stops live migration', mutate: () => ha((h) => ({ guests: { ...h.guests, 'vm-infra': { maxRestart: 2 } } })), code: 'ha-live-migration-impossible', path: 'shared/proxmox/ha/guests.vm-infra' },
  { name: 'cluster: pool guests made HA without a rule that keeps them on pool nodes', mutate: () => ha((h) => ({ rules: [h.rules![1]!] })), code: 'ha-node-without-pool', path: 'shared/proxmox/ha/guests.lxc-dns' },
  { name: 'cluster: HA guests on local ZFS without a replication schedule', mutate: () => ha(() => ({ replication: undefined })), code: 'ha-replication-schedule-missing', path: 'shared/proxmox/ha/replication' },
  { name: 'cluster: a replication schedule pvesr cannot parse', mutate: () => ha(() => ({ replication: { schedule: 'every 15 minutes' } })), code: 'ha-replication-schedule-invalid', path: 'shared/proxmox/ha/replication.schedule' },
  { name: 'cluster: an HA comment of two lines breaks resources.cfg', mutate: () => ha((h) => ({ guests: { ...h.guests, 'lxc-vpn': { comment: 'remote access\nsurvives a node' } } })), code: 'pve-ha-config-invalid', path: 'pve/ha/resources.cfg' },
  { name: 'cluster: a node whose address is off the LAN', mutate: () => node('pve3', { address: '10.0.0.4' }), code: 'cluster-node-address-invalid', path: 'lab/proxmox/pve3/address' },
  { name: 'cluster: two nodes with one address', mutate: () => node('pve3', { address: '192.168.0.3' }), code: 'cluster-node-address-invalid', path: 'lab/proxmox/pve3/address' },
  { name: 'cluster: a node without an address', mutate: () => node('pve3', { address: undefined }), code: 'cluster-node-address-invalid', path: 'lab/proxmox/pve3/address' },
  { name: 'cluster: vm-media writes media/library on pve2 while lxc-smb writes it on pve', mutate: () => withHost(clusterLab, 'vm-media', (h) => ({ ...h, node: 'pve2' })), code: 'pool-copies-diverge', path: 'vm-media/storage[2]' },
  { name: 'cluster: two copies of the pool and no schedule to keep them in step', mutate: () => proxmox(() => ({ poolSync: undefined })), code: 'pool-sync-schedule-missing', path: 'shared/proxmox/poolSync' },
  { name: 'cluster: a pool sync every 7 minutes (a timer cannot divide the hour by it)', mutate: () => proxmox(() => ({ poolSync: { every: '7min' } })), code: 'pool-sync-schedule-invalid', path: 'shared/proxmox/poolSync.every' },
  { name: 'cluster: the nightly backup job covers every guest, lxc-vpn too, on pve3 without the pool', mutate: () => allGuestsBackedUp(), code: 'backup-storage-unreachable', path: 'lxc-vpn/node' },
];
