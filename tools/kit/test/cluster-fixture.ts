import type { HostDef, Lab, LabFacts } from '../src/index.js';
import { realLab } from './fixtures.js';

// The three-node variant of the seed: the same hosts and services, on a Proxmox cluster of three
// nodes (docs/cluster.md). pve keeps its package (it holds the pool and renders the cluster's
// files); pve2 holds a copy of the pool, kept in step by pool-sync; pve3 is a small node without one.

const facts = realLab.facts;

export const clusterFacts: LabFacts = {
  ...facts,
  network: {
    ...facts.network,
    addresses: {
      ...facts.network.addresses,
      pve2: { class: 'network-device', address: '192.168.0.3' },
      pve3: { class: 'network-device', address: '192.168.0.4' },
    },
  },
  proxmox: {
    ...facts.proxmox,
    cluster: { name: 'homelab' },
    nodes: {
      pve: { cores: 16, memoryMiB: 65536, address: '192.168.0.2', storageGiB: { 'local-zfs': 800 }, holdsPool: true },
      pve2: { cores: 12, memoryMiB: 49152, address: '192.168.0.3', storageGiB: { 'local-zfs': 800 }, holdsPool: true },
      pve3: { cores: 4, memoryMiB: 8192, address: '192.168.0.4', storageGiB: { 'local-zfs': 200 } },
    },
    placement: [
      { hosts: ['lxc-vpn'], node: 'pve3', why: 'mounts no dataset: the node without the pool' },
      { hosts: ['vm-games'], node: 'pve2', why: 'the game servers on the second node (vm-media stays with the shares of the media it writes)' },
    ],
    ha: {
      guests: {
        'lxc-vpn': { comment: 'remote access survives a node' },
        'lxc-dns': { comment: 'name service survives a node' },
        'vm-infra': { maxRestart: 2, offlineMigration: 'the proxy and monitoring may stop for a minute when they move' },
      },
      rules: [
        { id: 'pool-guests', type: 'node-affinity', hosts: ['lxc-dns', 'vm-infra'], nodes: { pve: 1, pve2: 1 }, strict: true, comment: 'they mount the pool' },
        { id: 'dns-apart-from-vpn', type: 'resource-affinity', hosts: ['lxc-dns', 'lxc-vpn'], affinity: 'negative' },
      ],
      replication: { schedule: '*/15' },
    },
    poolSync: { every: '15min' },
  },
};

const explicit: Record<string, Partial<HostDef>> = { 'vm-dev': { node: 'pve2' } };

const hosts = realLab.hosts.map((h) => ({ ...h, ...explicit[h.name] }) as HostDef);

// The nightly backup job runs on every node; its storage is on the nodes with a copy of the pool.
// lxc-vpn runs on pve3, which has none: it is listed out (its disk is replicated to pve and pve2 by
// pvesr; a storage on pve3 would be a job of its own).
const onPve3 = new Set(['lxc-vpn']);
const nodes = realLab.nodes!.map((n) => ({
  ...n,
  guestBackups: n.guestBackups?.map((job) => ({ ...job, guests: hosts.filter((h) => !onPve3.has(h.name)).map((h) => h.vmid).sort((a, b) => a - b) })),
}));

/** The seed's lab on three nodes. */
export const clusterLab: Lab = { ...realLab, facts: clusterFacts, hosts, nodes };

/** The same cluster on Proxmox VE 8: HA groups instead of rules (and no resource affinity). */
export const clusterLabPve8: Lab = {
  ...clusterLab,
  facts: {
    ...clusterFacts,
    proxmox: {
      ...clusterFacts.proxmox,
      cluster: { name: 'homelab', pveVersion: 8 },
      ha: { ...clusterFacts.proxmox.ha!, rules: clusterFacts.proxmox.ha!.rules!.filter((r) => r.type === 'node-affinity') },
    },
  },
};
