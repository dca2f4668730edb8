import { defineRule, hostPath } from '../rule.js';

/**
 * Where the guests run: the cluster's name as pvecm takes it, and placement rules that name real
 * nodes and guests (a guest that mounts the pool on a node without it: dataset-node-mismatch).
 */
export const placementRule = defineRule({
  description: 'Where the guests run: a valid cluster name and placement on known nodes',
  docs: 'findings.md#a-proxmox-cluster-placement-capacity-ha-replication',
  codes: ['cluster-name-invalid', 'placement-invalid'],
  check(lab, findings) {
    const { cluster, nodes, placement } = lab.facts.proxmox;
    if (cluster && !/^[A-Za-z0-9-]{1,15}$/.test(cluster.name)) {
      findings.error('cluster-name-invalid', 'shared/proxmox/cluster.name', `"${cluster.name}" is not a cluster name pvecm accepts: letters, digits and '-', at most 15 characters (it is also the corosync cluster name).`);
    }
    const names = new Set(lab.hosts.map((h) => h.name));
    (placement ?? []).forEach((rule, i) => {
      if (!nodes[rule.node]) findings.error('placement-invalid', `shared/proxmox/placement[${i}].node`, `placement rule ${i} (${rule.why}) puts guests on node "${rule.node}", which proxmox.nodes does not list (${Object.keys(nodes).sort().join(', ')}).`);
      for (const name of rule.hosts ?? []) {
        if (!names.has(name)) findings.error('placement-invalid', `shared/proxmox/placement[${i}].hosts`, `placement rule ${i} (${rule.why}) names guest "${name}", which the lab does not have.`);
      }
    });
  },
});
