import type { Findings } from '../../findings.js';
import type { Lab } from '../../model/lab.js';
import { guestNode, placementSource, systemDisk } from '../../model/placement.js';
import { defineRule, hostPath, servicePath } from '../rule.js';

const DEFAULT_OVERCOMMIT = { cores: 4, memory: 1 };

/** "512m", "6g", "1.5GiB" -> MiB. */
export function toMiB(size: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(size.trim());
  if (!m) return undefined;
  const scale = { '': 1 / (1024 * 1024), k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Number(m[1]) * scale;
}

/**
 * Resources: guests against their Proxmox node (past the documented overcommit is a warning, a
 * single guest larger than its node an error), and container memory limits inside their VM.
 */
export const resourcesRule = defineRule({
  description: 'Guests fit their node: storage, cores and memory, and container memory limits within their host',
  docs: 'findings.md#across-the-lab',
  codes: ['node-unknown', 'node-storage-missing', 'node-storage-exceeded', 'guest-exceeds-node', 'node-cores-overcommit', 'node-memory-overcommit', 'container-memory-exceeds-host', 'memory-limit-invalid'],
  check(lab, findings) {
    const { nodes } = lab.facts.proxmox;
    const over = lab.facts.proxmox.overcommit ?? DEFAULT_OVERCOMMIT;
    const sums = new Map<string, { cores: number; memoryMiB: number }>();
    for (const host of lab.hosts) {
      const nodeName = guestNode(lab.facts, host);
      const node = nodes[nodeName];
      if (!node) {
        const source = placementSource(lab.facts, host);
        const by = source.by === 'rule' ? ` (placed by proxmox.placement[${source.index}])` : source.by === 'default' ? ' (the default node)' : '';
        findings.error('node-unknown', hostPath(host, 'node'), `${host.name} runs on node "${nodeName}"${by}, which the lab does not list (packages/shared: proxmox.nodes).`);
        continue;
      }
      if (host.cores > node.cores || host.memoryMiB > node.memoryMiB) {
        findings.error('guest-exceeds-node', hostPath(host, host.cores > node.cores ? 'cores' : 'memoryMiB'), `${host.name} asks for ${host.cores} cores / ${host.memoryMiB} MiB, more than node ${nodeName} has (${node.cores} cores / ${node.memoryMiB} MiB).`);
      }
      const sum = sums.get(nodeName) ?? { cores: 0, memoryMiB: 0 };
      sums.set(nodeName, { cores: sum.cores + host.cores, memoryMiB: sum.memoryMiB + host.memoryMiB });
      let limits = 0;
      for (const service of host.services) {
        if (!service.memLimit) continue;
        const mib = toMiB(service.memLimit);
        if (mib === undefined) {
          findings.error('memory-limit-invalid', servicePath(host, service, 'memLimit'), `"${service.memLimit}" is not a size like 512m or 2g.`);
          continue;
        }
        limits += mib;
        if (mib > host.memoryMiB) findings.error('container-memory-exceeds-host', servicePath(host, service, 'memLimit'), `${service.name}'s limit ${service.memLimit} is more than ${host.name}'s ${host.memoryMiB} MiB.`);
      }
      if (limits > host.memoryMiB) {
        findings.warning('container-memory-exceeds-host', hostPath(host, 'memoryMiB'), `the containers' memory limits on ${host.name} add up to ${Math.round(limits)} MiB, more than its ${host.memoryMiB} MiB: under load the VM's kernel kills one.`);
      }
    }
    checkStorage(lab, findings);
    for (const [nodeName, sum] of sums) {
      const node = nodes[nodeName]!;
      if (sum.cores > node.cores * over.cores) {
        findings.warning('node-cores-overcommit', `lab/proxmox/${nodeName}`, `guests on ${nodeName} have ${sum.cores} vCPUs for ${node.cores} cores, past the documented ${over.cores}x overcommit; busy guests will wait for CPU.`);
      }
      if (sum.memoryMiB > node.memoryMiB * over.memory) {
        findings.warning('node-memory-overcommit', `lab/proxmox/${nodeName}`, `guests on ${nodeName} are given ${sum.memoryMiB} MiB of ${node.memoryMiB} MiB (overcommit allowed: ${over.memory}x); with all of them busy the host swaps or kills a guest. Give the node more RAM or the guests less.`);
      }
    }
  },
});

/** Each guest's system disk against the storages its node declares (a node that declares none is not checked). */
function checkStorage(lab: Lab, findings: Findings): void {
  const used = new Map<string, number>();
  for (const host of lab.hosts) {
    const nodeName = guestNode(lab.facts, host);
    const declared = lab.facts.proxmox.nodes[nodeName]?.storageGiB;
    const disk = systemDisk(host);
    if (!declared || !disk) continue;
    if (declared[disk.storage] === undefined) {
      findings.error('node-storage-missing', hostPath(host, host.kind === 'lxc' ? 'rootfs.storage' : 'disk.storage'), `${host.name}'s disk is on storage ${disk.storage}, which node ${nodeName} does not have (it has ${Object.keys(declared).sort().join(', ') || 'none'}). Place the guest on a node with that storage or use one the node has.`);
      continue;
    }
    const key = `${nodeName}\u0000${disk.storage}`;
    used.set(key, (used.get(key) ?? 0) + host.diskGiB);
  }
  for (const [key, gib] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
    const [nodeName, storage] = key.split('\u0000') as [string, string];
    const size = lab.facts.proxmox.nodes[nodeName]!.storageGiB![storage]!;
    if (gib > size) {
      findings.error('node-storage-exceeded', `lab/proxmox/${nodeName}/storageGiB.${storage}`, `the guests on node ${nodeName} ask for ${gib} GiB of storage ${storage}, which has ${size} GiB: move a guest to another node or give them smaller disks.`);
    }
  }
}
