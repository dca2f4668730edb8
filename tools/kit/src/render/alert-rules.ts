/**
 * The lab's alerting rules, rendered beside prometheus.yml (prometheus/rules/homelab.yml) and
 * read through its `rule_files`. Every rule names only metrics an exporter of the lab serves:
 * `up` (Prometheus itself, for every target), node-exporter's memory, filesystem and ZFS metrics,
 * and the Proxmox host's snapshot and replication times (render/zfs-ages.ts, its textfile collector).
 * `promtool test rules` pins each alert with series that trip it and series that do not
 * (tools/kit/test/promtool/alerts.test.yml, system tier).
 */

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: 'warning' | 'critical' };
  readonly annotations: { readonly summary: string; readonly description: string };
}

/** A target's `host` label comes from the scrape configuration (one label per target, the host it runs on). */
const ON = '{{ $labels.host }}';

/** The fraction of free space under which a dataset counts as near full. */
export const NEAR_FULL_FREE_RATIO = 0.1;
/** The fraction of available memory under which a host is under memory pressure. */
export const MEMORY_PRESSURE_AVAILABLE_RATIO = 0.1;

const FREE = `node_filesystem_avail_bytes{fstype=~"zfs|virtiofs"} / node_filesystem_size_bytes{fstype=~"zfs|virtiofs"}`;

export const alertGroups: readonly { readonly name: string; readonly rules: readonly AlertRule[] }[] = [
  {
    name: 'targets',
    rules: [
      {
        alert: 'TargetDown',
        expr: 'up == 0',
        for: '5m',
        labels: { severity: 'warning' },
        annotations: {
          summary: `{{ $labels.job }} on ${ON} is down`,
          description: `Prometheus has not scraped {{ $labels.instance }} (job {{ $labels.job }}) for 5 minutes.`,
        },
      },
    ],
  },
  {
    name: 'hosts',
    rules: [
      {
        alert: 'MemoryPressure',
        expr: `node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes < ${MEMORY_PRESSURE_AVAILABLE_RATIO}`,
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: `${ON} is short of memory`,
          description: `Less than ${MEMORY_PRESSURE_AVAILABLE_RATIO * 100}% of ${ON}'s memory has been available for 10 minutes.`,
        },
      },
    ],
  },
  {
    name: 'zfs',
    rules: [
      {
        alert: 'ZfsPoolDegraded',
        // node-exporter's zfs collector: one series per pool and state, 1 for the pool's current state.
        expr: 'node_zfs_zpool_state{state!="online"} == 1',
        for: '1m',
        labels: { severity: 'critical' },
        annotations: {
          summary: `ZFS pool {{ $labels.zpool }} on ${ON} is {{ $labels.state }}`,
          description: `zpool status {{ $labels.zpool }} on ${ON}: the pool is {{ $labels.state }}; replace or reattach the failed device.`,
        },
      },
      {
        alert: 'DatasetNearFull',
        // A dataset as the Proxmox host mounts it (zfs) or as a VM mounts it (virtiofs).
        expr: `${FREE} < ${NEAR_FULL_FREE_RATIO}`,
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: `{{ $labels.mountpoint }} on ${ON} is near full`,
          description: `Less than ${NEAR_FULL_FREE_RATIO * 100}% of {{ $labels.mountpoint }} ({{ $labels.device }}) on ${ON} is free.`,
        },
      },
    ],
  },
  {
    // The Proxmox host's textfile metrics (homelab-zfs-ages.timer, each syncoid unit's
    // ExecStartPost): newest snapshot and last replication times beside the model's limits.
    name: 'backups',
    rules: [
      {
        alert: 'SnapshotStale',
        expr: '(time() - homelab_zfs_snapshot_newest_timestamp_seconds) > on(host, dataset) group_left(policy) homelab_zfs_snapshot_max_age_seconds',
        for: '10m',
        labels: { severity: 'warning' },
        annotations: {
          summary: `{{ $labels.dataset }} on ${ON} has no recent snapshot`,
          description: `The newest snapshot of {{ $labels.dataset }} is {{ $value | humanizeDuration }} old, older than its policy {{ $labels.policy }} allows: check sanoid.timer on ${ON}.`,
        },
      },
      {
        alert: 'SnapshotMissing',
        expr: 'homelab_zfs_snapshot_max_age_seconds unless on(host, dataset) homelab_zfs_snapshot_newest_timestamp_seconds',
        for: '1h',
        labels: { severity: 'warning' },
        annotations: {
          summary: `{{ $labels.dataset }} on ${ON} has no snapshot`,
          description: `Policy {{ $labels.policy }} takes snapshots of {{ $labels.dataset }}, but ${ON} has none of it: check sanoid.timer and sanoid.conf.`,
        },
      },
      {
        alert: 'ReplicationStale',
        expr: '(time() - homelab_replication_last_success_timestamp_seconds) > on(host, target, dataset) group_left homelab_replication_max_age_seconds',
        for: '10m',
        labels: { severity: 'critical' },
        annotations: {
          summary: `{{ $labels.dataset }} has not replicated to {{ $labels.target }}`,
          description: `The last successful syncoid run of {{ $labels.dataset }} to {{ $labels.target }} was {{ $value | humanizeDuration }} ago, longer than its interval allows: journalctl -u 'syncoid-{{ $labels.target }}-*' on ${ON}.`,
        },
      },
      {
        alert: 'ReplicationNeverSucceeded',
        expr: 'homelab_replication_max_age_seconds unless on(host, target, dataset) homelab_replication_last_success_timestamp_seconds',
        // Longer than the limit of a weekly replication with one tolerated failure (14 days and an
        // hour), so a fresh node does not fire before its first run was due.
        for: '15d',
        labels: { severity: 'critical' },
        annotations: {
          summary: `{{ $labels.dataset }} has never replicated to {{ $labels.target }}`,
          description: `${ON} has no successful syncoid run of {{ $labels.dataset }} to {{ $labels.target }} on record: check the target and journalctl -u 'syncoid-{{ $labels.target }}-*'.`,
        },
      },
    ],
  },
];

/** The rules file Prometheus loads. */
export function alertRules(): { groups: unknown[] } {
  return { groups: alertGroups.map((g) => ({ name: g.name, rules: g.rules.map((r) => ({ ...r })) })) };
}
