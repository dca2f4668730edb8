import type { HaGuest, HaRule } from './cluster.js';
import type { HostDef } from './host.js';
import type { Lab, LabFacts } from './lab.js';
import { isLxcHost } from './lxc.js';
import { oncePer } from './once-per.js';
import { poolHost } from './proxmox-host.js';
import { isVmHost, QEMU_DEFAULTS } from './qemu.js';

type Placed = Pick<HostDef, 'name' | 'kind' | 'node'>;

/** Where a guest's node comes from: its own `node`, a placement rule (its index), or the default. */
export type PlacementSource = { readonly by: 'host' } | { readonly by: 'rule'; readonly index: number } | { readonly by: 'default' };

/** The first placement rule that matches the guest, with its index. */
function matchingRule(facts: LabFacts, host: Placed): { index: number; node: string } | undefined {
  const rules = facts.proxmox.placement ?? [];
  for (let index = 0; index < rules.length; index++) {
    const r = rules[index]!;
    if ((r.hosts === undefined || r.hosts.includes(host.name)) && (r.kind === undefined || r.kind === host.kind)) return { index, node: r.node };
  }
  return undefined;
}

/** The Proxmox node a guest runs on: its own `node`, else the first placement rule that matches, else the default node. */
export function guestNode(facts: LabFacts, host: Placed): string {
  return host.node ?? matchingRule(facts, host)?.node ?? facts.proxmox.defaultNode;
}

export function placementSource(facts: LabFacts, host: Placed): PlacementSource {
  if (host.node !== undefined) return { by: 'host' };
  const rule = matchingRule(facts, host);
  return rule ? { by: 'rule', index: rule.index } : { by: 'default' };
}

/** The cluster's nodes by name, sorted. */
export function clusterNodes(facts: LabFacts): string[] {
  return Object.keys(facts.proxmox.nodes).sort();
}

/** Whether the lab is a Proxmox cluster of more than one node (jobs then run on every node). */
export function isCluster(facts: LabFacts): boolean {
  return facts.proxmox.cluster !== undefined && clusterNodes(facts).length > 1;
}

/** The nodes that hold a copy of the pool: those the facts mark, and the node of the Proxmox host package that holds it. */
export const poolNodes = oncePer((lab: Lab): ReadonlySet<string> => {
  const marked = Object.entries(lab.facts.proxmox.nodes).filter(([, n]) => n.holdsPool).map(([name]) => name);
  const holder = poolHost(lab)?.node;
  return new Set([...marked, ...(holder ? [holder] : [])]);
});

/** The cluster's nodes that have no Proxmox host package of their own (the pool's package renders for them); none outside a cluster. */
export function nodesWithoutPackage(lab: Lab): string[] {
  if (!isCluster(lab.facts)) return [];
  const packaged = new Set((lab.nodes ?? []).map((n) => n.node));
  return clusterNodes(lab.facts).filter((n) => !packaged.has(n));
}

/** The node's management address: its Proxmox host package's, else the facts'. */
export function nodeAddress(lab: Lab, node: string): string | undefined {
  return (lab.nodes ?? []).find((n) => n.node === node)?.address ?? lab.facts.proxmox.nodes[node]?.address;
}

/** Whether the guest mounts datasets of the pool (a VM over virtiofs, a container by bind mounts). */
export function mountsPool(host: HostDef): boolean {
  if (isLxcHost(host)) return (host.mounts ?? []).length > 0;
  return isVmHost(host) && host.storage.length > 0;
}

/** A VM's virtiofs mounts keep it from migrating live (qemu-server refuses online migration with virtiofs). */
export function hasVirtiofs(host: HostDef): boolean {
  return isVmHost(host) && host.storage.length > 0;
}

/** The guest's system disk: the storage id and its type. */
export function systemDisk(host: HostDef): { storage: string; type: string } | undefined {
  if (isLxcHost(host)) return { storage: host.rootfs.storage, type: host.rootfs.storageType ?? 'zfspool' };
  if (isVmHost(host)) return { storage: host.disk?.storage ?? QEMU_DEFAULTS.storage, type: host.disk?.storageType ?? QEMU_DEFAULTS.storageType };
  return undefined;
}

/** The guest's HA declaration, when it is made HA. */
export function haOf(lab: Lab, host: Pick<HostDef, 'name'>): HaGuest | undefined {
  return lab.facts.proxmox.ha?.guests[host.name];
}

/** Proxmox's HA resource id: `vm:<vmid>` or `ct:<vmid>`. */
export function haResourceId(host: Pick<HostDef, 'kind' | 'vmid'>): string {
  return `${host.kind === 'lxc' ? 'ct' : 'vm'}:${host.vmid}`;
}

/** The nodes an HA guest may run on: those of a strict node-affinity rule that names it, else every node. */
export function haNodes(lab: Lab, host: Pick<HostDef, 'name'>): string[] {
  const strict = (lab.facts.proxmox.ha?.rules ?? []).find((r: HaRule) => r.type === 'node-affinity' && r.strict && r.hosts.includes(host.name));
  return strict && strict.type === 'node-affinity' ? Object.keys(strict.nodes).sort() : clusterNodes(lab.facts);
}

/** Whether a node has a storage: those it declares, or any when it declares none. */
function nodeHasStorage(lab: Lab, node: string, storage: string): boolean {
  const declared = lab.facts.proxmox.nodes[node]?.storageGiB;
  return declared === undefined || declared[storage] !== undefined;
}

/**
 * The nodes an HA guest's disks are replicated to (pvesr): the other nodes it may run on that
 * have its disk's storage. Only disks on ZFS (`zfspool`) can be replicated.
 */
export function replicationTargets(lab: Lab, host: HostDef): string[] {
  const disk = systemDisk(host);
  if (!haOf(lab, host) || disk?.type !== 'zfspool') return [];
  const own = guestNode(lab.facts, host);
  return haNodes(lab, host).filter((n) => n !== own && nodeHasStorage(lab, n, disk.storage));
}
