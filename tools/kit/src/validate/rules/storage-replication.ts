import { defineRule } from '../rule.js';
import type { Findings } from '../../findings.js';
import type { Lab } from '../../model/lab.js';
import type { ProxmoxHostDef } from '../../model/proxmox-host.js';
import type { DatasetSpec } from '../../model/zfs.js';
import { intervalSeconds, parseTimeOfDay, type ReplicationTarget } from '../../model/replication.js';
import { formatDuration, policyFor, retentionSeconds, takesSnapshots } from '../../model/snapshots.js';
import { isKnownDataset } from './storage-chain.js';

/** Field -> the shape it must have (these values end up on syncoid's command line). */
const SHAPES: readonly [keyof ReplicationTarget, RegExp, string][] = [
  ['name', /^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and "-" (it names systemd units)'],
  ['host', /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'a host name or address'],
  ['user', /^[a-z_][a-z0-9_-]*$/, 'a user name'],
  ['sshKey', /^\/[A-Za-z0-9_.\/-]+$/, 'an absolute path without spaces'],
  ['pool', /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'a pool name'],
  ['root', /^[A-Za-z0-9_.:-]+(\/[A-Za-z0-9_.:-]+)*$/, 'a dataset path below the pool'],
  ['bandwidthLimit', /^\d+[kmgt]?$/i, 'bytes per second, e.g. 20m'],
  ['hostKey', /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+$/, 'a public key line: type and base64 key'],
];

/** Names reserved for examples and tests (RFC 2606, RFC 6761): they never reach a real machine. */
const PLACEHOLDER_HOST = /(^|\.)(example|invalid|test|localhost)$|(^|\.)example\.(com|net|org)$/i;

/** True when the host is a documentation or test name, not a machine (offsite.example.net). */
export function isPlaceholderHost(host: string): boolean {
  return PLACEHOLDER_HOST.test(host.replace(/\.$/, ''));
}

function checkTarget(lab: Lab, node: ProxmoxHostDef, target: ReplicationTarget, j: number, findings: Findings): void {
  const at = (field: string) => `${node.name}/replication[${j}]/${field}`;
  for (const [field, shape, what] of SHAPES) {
    const value = target[field];
    if (value !== undefined && !shape.test(String(value))) {
      findings.error('replication-target-invalid', at(field), `${field} "${String(value)}" must be ${what}.`);
    }
  }
  if ((target.user ?? 'root') === 'root') {
    findings.error(
      'replication-target-root',
      at('user'),
      `${target.name} logs in to ${target.host} as root: the node's key (and whoever takes the node) could destroy or roll back every offsite copy. ` +
        `Log in as a user of its own with receive only delegated (user: 'syncoid'; docs/storage.md: preparing the target, zfs allow without destroy or rollback).`,
    );
  }
  if (target.datasets.length > 0 && isPlaceholderHost(target.host)) {
    findings.error('replication-target-placeholder', at('host'), `${target.name}'s host "${target.host}" is a name reserved for examples (RFC 2606); replication would send ${target.datasets.length} dataset(s) nowhere and every nightly run would fail. Put your offsite machine's name in packages/${node.name}/src/replication.ts (docs/storage.md: preparing the target).`);
  }
  const failures = target.toleratedFailures ?? 1;
  if (!Number.isInteger(failures) || failures < 0) {
    findings.error('replication-target-invalid', at('toleratedFailures'), `toleratedFailures is ${failures}; it counts failed runs, a whole number of 0 or more.`);
  }
  const interval = intervalSeconds(target.every);
  if (interval === undefined) {
    findings.error('replication-schedule-invalid', at('every'), `every "${target.every}" is not an interval the timer can keep: use Nh with N dividing 24 (1h, 6h, 12h), 1d or 7d.`);
  }
  if (target.at !== undefined && !parseTimeOfDay(target.at)) {
    findings.error('replication-schedule-invalid', at('at'), `at "${target.at}" is not a time of day; write HH:MM (24-hour), e.g. 02:30.`);
  }
  target.datasets.forEach((ref, k) => {
    const path = at(`datasets[${k}]`);
    if (!isKnownDataset(lab, ref)) {
      findings.error('dataset-unknown', path, `${ref.pool}/${ref.name} is not a dataset of the layout; replicate one of: ${Object.keys(lab.facts.zfs.datasets).sort().join(', ')}.`);
      return;
    }
    const found = policyFor(node.snapshots, ref.name);
    if (!found || !takesSnapshots(found.policy)) {
      findings.error('replication-not-snapshotted', path, `${ref.name} is replicated with the source's own snapshots (syncoid --no-sync-snap), but ${found ? `its policy ${found.policy.name} takes none` : 'no snapshot policy covers it'}. Assign a policy that takes snapshots in packages/${node.name}/src/snapshots.ts, or stop replicating it.`);
      return;
    }
    if (interval === undefined || found.policy.autoprune === false) return;
    const kept = retentionSeconds(found.policy);
    const needed = interval * (1 + failures);
    if (kept <= needed) {
      findings.error('replication-retention', path, `${ref.name} keeps snapshots for ${formatDuration(kept)} (policy ${found.policy.name}), but replication to ${target.name} runs every ${target.every} and must survive ${failures} failed run(s): ${formatDuration(needed)} without a successful run would prune the last snapshot both sides share, and the next run could only start over with a full send. Keep daily snapshots longer than ${formatDuration(needed)} or replicate more often.`);
    }
  });
}

/** Every dataset the layout marks `backup` is sent by a replication target of a node that holds its pool. */
function checkBackedUp(lab: Lab, findings: Findings): void {
  const datasets = lab.facts.zfs.datasets as Readonly<Record<string, DatasetSpec>>;
  const holders = (lab.nodes ?? []).filter((n) => n.pool === lab.facts.zfs.pool);
  if (holders.length === 0) return;
  const sent = new Set(holders.flatMap((n) => (n.replication ?? []).flatMap((t) => t.datasets.map((d) => d.name))));
  for (const [name, spec] of Object.entries(datasets)) {
    if (!spec.backup || sent.has(name)) continue;
    findings.error('backup-not-replicated', `shared/zfs/${name}/backup`, `${lab.facts.zfs.pool}/${name} is marked backup (${spec.backup.why}), and the docs say so, but no replication target sends it. Replicate it (datasets: backedUpDatasets(zfs) sends every marked one) or drop the mark.`);
  }
}

/** Offsite targets are well formed, run on a schedule the timer can keep, and the source outlives the gap between runs. */
export const storageReplicationRule = defineRule({
  description: 'Offsite targets are well formed, on a schedule the timer keeps, and the source outlives the gap',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['backup-not-replicated', 'replication-target-placeholder', 'replication-target-root', 'replication-retention', 'replication-not-snapshotted', 'replication-schedule-invalid', 'replication-target-invalid', 'dataset-unknown'],
  check(lab, findings) {
    for (const node of lab.nodes ?? []) {
      const names = new Set<string>();
      (node.replication ?? []).forEach((target, j) => {
        if (names.has(target.name)) findings.error('replication-target-invalid', `${node.name}/replication[${j}]/name`, `two replication targets are named "${target.name}"; their systemd units would collide. Rename one.`);
        names.add(target.name);
        checkTarget(lab, node, target, j, findings);
      });
    }
    checkBackedUp(lab, findings);
  },
});
