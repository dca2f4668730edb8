import type { NoUnknownFields } from './service.js';

/** The snapshot kinds sanoid takes, shortest period first. */
export const SNAPSHOT_KINDS = ['frequently', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

/** How many snapshots of each kind to keep; a kind left out keeps none (sanoid's own defaults never apply). */
export type SnapshotKeep = Readonly<Partial<Record<SnapshotKind, number>>>;

/**
 * A snapshot policy for one kind of data, rendered as a sanoid template (`[template_<name>]`).
 * `autosnap: false` makes a replica target: it takes no snapshots of its own and only prunes
 * what it receives.
 */
export interface SnapshotPolicy {
  /** The template name: lowercase letters, digits, '_' or '-'. */
  readonly name: string;
  /** What kind of data this is for and why these numbers, one line. */
  readonly purpose: string;
  readonly keep: SnapshotKeep;
  /** Minutes between `frequently` snapshots (sanoid's frequent_period); should divide 60. Default 15. */
  readonly frequentPeriodMinutes?: number;
  /** Take snapshots (default true). */
  readonly autosnap?: boolean;
  /** Prune snapshots past `keep` (default true). */
  readonly autoprune?: boolean;
  /** Also manage child datasets that are not in the layout (sanoid `recursive`), e.g. received replicas. */
  readonly recursive?: boolean;
  /** Further sanoid keys for this template, checked against sanoid.defaults.conf's keys. */
  readonly sanoid?: Readonly<Record<string, string | number | boolean>>;
}

export function defineSnapshotPolicy<const P extends SnapshotPolicy>(policy: NoUnknownFields<P, SnapshotPolicy>): P {
  return policy;
}

/** Snapshot policies by dataset (relative to the pool); a dataset takes its nearest assigned ancestor's. */
export type SnapshotAssignments<D extends string = string> = Readonly<Partial<Record<D, SnapshotPolicy>>>;

const HOUR = 3600;
const DAY = 24 * HOUR;

/** The period of one snapshot kind in seconds, as sanoid counts it when pruning. */
export function snapshotPeriodSeconds(kind: SnapshotKind, frequentPeriodMinutes = 15): number {
  switch (kind) {
    case 'frequently':
      return frequentPeriodMinutes * 60;
    case 'hourly':
      return HOUR;
    case 'daily':
      return DAY;
    case 'weekly':
      return 7 * DAY;
    case 'monthly':
      return 31 * DAY;
    case 'yearly':
      return 365.25 * DAY;
  }
}

/** True when the policy takes snapshots of its own. */
export function takesSnapshots(policy: SnapshotPolicy): boolean {
  return policy.autosnap !== false && SNAPSHOT_KINDS.some((k) => (policy.keep[k] ?? 0) > 0);
}

/**
 * How long the oldest snapshot the policy keeps lives, in seconds: the longest of count x period
 * over its kinds (sanoid prunes a kind's snapshots older than that).
 */
export function retentionSeconds(policy: SnapshotPolicy): number {
  return Math.max(0, ...SNAPSHOT_KINDS.map((k) => (policy.keep[k] ?? 0) * snapshotPeriodSeconds(k, policy.frequentPeriodMinutes)));
}

/** The policy that applies to a dataset: its own assignment, else its nearest ancestor's. */
export function policyFor(assignments: SnapshotAssignments, dataset: string): { policy: SnapshotPolicy; from: string } | undefined {
  const parts = dataset.split('/');
  for (let i = parts.length; i > 0; i--) {
    const from = parts.slice(0, i).join('/');
    const policy = assignments[from];
    if (policy) return { policy, from };
  }
  return undefined;
}

/** "4 frequently (15 min), 24 hourly, 14 daily" or "no own snapshots". */
export function describePolicy(policy: SnapshotPolicy): string {
  const kept = SNAPSHOT_KINDS.filter((k) => (policy.keep[k] ?? 0) > 0).map((k) =>
    k === 'frequently' ? `${policy.keep[k]} frequently (${policy.frequentPeriodMinutes ?? 15} min)` : `${policy.keep[k]} ${k}`,
  );
  if (policy.autosnap === false) return `no own snapshots${kept.length ? `; prunes received ones to ${kept.join(', ')}` : ''}`;
  return kept.length ? kept.join(', ') : 'none kept';
}

/** "14d", "36h", "45min": a duration in the largest whole unit. */
export function formatDuration(seconds: number): string {
  if (seconds >= DAY && seconds % DAY === 0) return `${seconds / DAY}d`;
  if (seconds >= HOUR && seconds % HOUR === 0) return `${seconds / HOUR}h`;
  if (seconds >= DAY) return `${(seconds / DAY).toFixed(1)}d`;
  return `${Math.round(seconds / 60)}min`;
}
