import { defineRule, hostPath } from '../rule.js';
import { poolHost, type ProxmoxHostDef } from '../../model/proxmox-host.js';
import { SNAPSHOT_KINDS, policyFor, takesSnapshots, type SnapshotPolicy } from '../../model/snapshots.js';
import { datasetSubtree } from '../../model/zfs.js';
import type { Findings } from '../../findings.js';
import type { Lab } from '../../model/lab.js';
import { isSanoidKey } from '../../sanoid/keys.js';
import { isKnownDataset } from './storage-chain.js';

/** Keys the typed policy fields write; set them there, not as extra sanoid keys. */
const TYPED_KEYS = new Set<string>([...SNAPSHOT_KINDS, 'frequent_period', 'autosnap', 'autoprune', 'recursive', 'use_template', 'path']);
const POLICY_NAME = /^[a-z0-9][a-z0-9_-]*$/;

function checkPolicy(node: ProxmoxHostDef, policy: SnapshotPolicy, findings: Findings): void {
  const at = (field: string) => `${node.name}/policies/${policy.name}/${field}`;
  if (!POLICY_NAME.test(policy.name) || policy.name === 'default') {
    findings.error('snapshot-policy-invalid', at('name'), `"${policy.name}" cannot name a sanoid template: use lowercase letters, digits, '_' or '-', and not "default" (sanoid applies template_default to every dataset).`);
  }
  for (const kind of SNAPSHOT_KINDS) {
    const count = policy.keep[kind];
    if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
      findings.error('snapshot-policy-invalid', at(`keep.${kind}`), `keep.${kind} is ${count}; it counts snapshots, a whole number of 0 or more.`);
    }
  }
  const period = policy.frequentPeriodMinutes;
  if (period !== undefined && (!Number.isInteger(period) || period < 1 || period > 59 || 60 % period !== 0)) {
    findings.error('snapshot-policy-invalid', at('frequentPeriodMinutes'), `frequentPeriodMinutes is ${period}; sanoid takes frequent snapshots within each hour, so it must be a whole number of minutes that divides 60 (5, 10, 15, 20, 30).`);
  }
  for (const key of Object.keys(policy.sanoid ?? {}).sort()) {
    if (!isSanoidKey(key)) {
      findings.error('sanoid-key-unknown', at(`sanoid.${key}`), `sanoid does not know the key "${key}" (it is not in sanoid.defaults.conf) and would refuse the whole file. Check its spelling in sanoid's README.`);
    } else if (TYPED_KEYS.has(key)) {
      findings.error('snapshot-policy-invalid', at(`sanoid.${key}`), `"${key}" is set by the policy's typed fields (keep, frequentPeriodMinutes, autosnap, autoprune, recursive); set it there.`);
    }
  }
}

function checkAssignments(lab: Lab, node: ProxmoxHostDef, findings: Findings): void {
  const byName = new Map<string, SnapshotPolicy>();
  for (const [dataset, policy] of Object.entries(node.snapshots)) {
    if (!policy) continue;
    if (!isKnownDataset(lab, { kind: 'dataset', pool: node.pool, name: dataset })) {
      findings.error('snapshot-dataset-unknown', `${node.name}/snapshots/${dataset}`, `a snapshot policy is assigned to ${dataset}, which is not a dataset of the layout. Assign it to one of: ${Object.keys(lab.facts.zfs.datasets).sort().join(', ')}.`);
    }
    const other = byName.get(policy.name);
    if (other && other !== policy) {
      findings.error('snapshot-policy-invalid', `${node.name}/policies/${policy.name}/name`, `two different policies are named "${policy.name}"; each becomes [template_${policy.name}] in sanoid.conf, so the names must differ.`);
    }
    if (!other) {
      byName.set(policy.name, policy);
      checkPolicy(node, policy, findings);
    }
  }
}

/** Every dataset a guest mounts is snapshotted: its policy takes snapshots of its own. */
function checkUsed(lab: Lab, node: ProxmoxHostDef, findings: Findings): void {
  for (const host of lab.hosts) {
    host.storage.forEach((ref, i) => {
      if (ref.pool !== node.pool || !isKnownDataset(lab, ref)) return;
      const bare = datasetSubtree(lab.facts.zfs, ref.name).filter((d) => {
        const found = policyFor(node.snapshots, d);
        return !found || !takesSnapshots(found.policy);
      });
      if (bare.length === 0) return;
      const why = bare.map((d) => {
        const found = policyFor(node.snapshots, d);
        return found ? `${d} (policy ${found.policy.name} takes none)` : `${d} (no policy)`;
      });
      findings.error('dataset-not-snapshotted', hostPath(host, `storage[${i}]`), `${host.name} keeps data on ${why.join(', ')}, but nothing snapshots it, so a mistake there cannot be undone. Assign a snapshot policy in packages/${node.name}/src/snapshots.ts.`);
    });
  }
}

/** Snapshot policies are valid sanoid templates, and every dataset in use is snapshotted. */
export const storageSnapshotsRule = defineRule({
  description: 'Snapshot policies are valid sanoid templates, and every dataset in use is snapshotted',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['dataset-not-snapshotted', 'snapshot-policy-invalid', 'snapshot-dataset-unknown', 'sanoid-key-unknown'],
  check(lab, findings) {
    for (const node of lab.nodes ?? []) {
      checkAssignments(lab, node, findings);
      if (node === poolHost(lab)) checkUsed(lab, node, findings);
    }
  },
});
