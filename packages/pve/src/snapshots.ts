import { defineSnapshotPolicy, type SnapshotAssignments } from '@homelab/kit';
import type { DatasetName } from '@homelab/shared';

/** Service data changes all day and is small: frequent snapshots, kept briefly. */
export const serviceData = defineSnapshotPolicy({
  name: 'services',
  purpose: 'service data, frequent and short: undo a bad upgrade within the hour, or go back two weeks',
  keep: { frequently: 4, hourly: 24, daily: 14 },
  frequentPeriodMinutes: 15,
});

/** Libraries change slowly and mistakes (a rename gone wrong) surface late: daily, kept long. */
export const media = defineSnapshotPolicy({
  name: 'media',
  purpose: 'media libraries, daily and long: a bad rename or deletion is often noticed weeks later',
  keep: { daily: 30, monthly: 6 },
});

/** Received replicas: no snapshots of their own; the received ones are pruned like backups. */
export const replica = defineSnapshotPolicy({
  name: 'replica',
  purpose: 'replica target: takes no snapshots of its own, prunes the ones it receives',
  keep: { daily: 30, monthly: 12 },
  autosnap: false,
  recursive: true,
});

/** Which policy each subtree of the pool follows (the nearest assigned ancestor wins). */
export const snapshots: SnapshotAssignments<DatasetName> = {
  media,
  services: serviceData,
  backups: replica,
};
