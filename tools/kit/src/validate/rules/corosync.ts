import { clusterNodes, nodeAddress } from '../../model/placement.js';
import { inSubnet } from '../pve-formats.js';
import { defineRule } from '../rule.js';

/**
 * What `pvecm create` / `pvecm add` and corosync need of the nodes: each node's address (its
 * corosync link 0) on the LAN of the network plan and its own, and a vote count that keeps quorum
 * when a node fails (an even number of nodes loses it when half of them are away, unless a
 * QDevice adds a vote).
 */
export const corosyncRule = defineRule({
  description: 'What `pvecm create` / `pvecm add` and corosync need of the nodes',
  docs: 'findings.md#a-proxmox-cluster-placement-capacity-ha-replication',
  codes: ['cluster-node-address-invalid', 'cluster-quorum-even'],
  check(lab, findings) {
    const { cluster } = lab.facts.proxmox;
    const nodes = clusterNodes(lab.facts);
    if (!cluster || nodes.length < 2) return;
    const { subnet } = lab.facts.network;
    const seen = new Map<string, string>();
    for (const node of nodes) {
      const at = `lab/proxmox/${node}/address`;
      const address = nodeAddress(lab, node);
      if (address === undefined) {
        findings.error('cluster-node-address-invalid', at, `node ${node} of cluster ${cluster.name} has no address: corosync and deploy reach it there. Give it the address network.addresses names for it.`);
        continue;
      }
      if (!inSubnet(address, subnet)) findings.error('cluster-node-address-invalid', at, `node ${node}'s address ${address} is not on the LAN ${subnet}: corosync's link 0 and deploy use the LAN.`);
      const planned = (lab.facts.network.addresses as Readonly<Record<string, { address: string }>>)[node]?.address;
      if (planned !== address) findings.error('cluster-node-address-invalid', at, `node ${node}'s address ${address} is not the one the network plan gives it (${planned === undefined ? `network.addresses has no entry "${node}"` : planned}); add it there so no guest takes it.`);
      const other = seen.get(address);
      if (other) findings.error('cluster-node-address-invalid', at, `nodes ${other} and ${node} both have address ${address}; corosync needs one address per node.`);
      seen.set(address, node);
    }
    if (nodes.length % 2 === 0 && !cluster.qdevice) {
      findings.warning('cluster-quorum-even', 'shared/proxmox/cluster.qdevice', `cluster ${cluster.name} has ${nodes.length} nodes and no QDevice: with ${nodes.length / 2} of them down the rest has no quorum (${nodes.length / 2 + 1} votes needed), HA stops and /etc/pve is read-only. Add a node, or a QDevice (\`cluster.qdevice: '<address>'\`, \`pvecm qdevice setup <address>\`).`);
    }
  },
});
