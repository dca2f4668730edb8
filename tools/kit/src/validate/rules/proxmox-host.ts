import { defineRule } from '../rule.js';

/** A Proxmox host package names a node of the facts and holds the facts' pool, once. */
export const proxmoxHostRule = defineRule({
  description: 'A Proxmox host package names a node of the facts and holds the facts\' pool, once',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['pve-node-unknown', 'pve-pool-unknown'],
  check(lab, findings) {
    const holders = new Map<string, string>();
    for (const node of lab.nodes ?? []) {
      const nodes = Object.keys(lab.facts.proxmox.nodes);
      if (!nodes.includes(node.node)) {
        findings.error('pve-node-unknown', `${node.name}/node`, `${node.name} says it is Proxmox node "${node.node}", which packages/shared does not list (proxmox.nodes: ${nodes.join(', ')}). Use the node's name or add it to the facts.`);
      }
      if (node.pool !== lab.facts.zfs.pool) {
        findings.error('pve-pool-unknown', `${node.name}/pool`, `${node.name} holds pool "${node.pool}", but the facts describe pool "${lab.facts.zfs.pool}"; nothing would be rendered for it. Use zfs.pool from @homelab/shared.`);
      } else if (holders.has(node.pool)) {
        findings.error('pve-pool-unknown', `${node.name}/pool`, `${node.name} and ${holders.get(node.pool)} both say they hold pool "${node.pool}"; one node holds a pool. Keep it on one.`);
      } else holders.set(node.pool, node.name);
    }
  },
});
