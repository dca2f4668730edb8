import type { Finding } from '../findings.js';
import { normalizeValue } from '../zfs/properties.js';
import type { ZfsPlan } from '../zfs/plan.js';
import type { DriftItem } from './item.js';

/**
 * The pool's datasets against the layout, from the plan deploy would make: a dataset it would
 * create is missing; a property it would set or inherit whose value differs has drifted (one
 * equal in value but inherited rather than set locally is a deploy's business, not drift).
 * Only the properties the layout declares are read (zfsPlanCommands), so nothing else counts.
 */
export function zfsDrift(host: string, plan: ZfsPlan): { items: DriftItem[]; findings: Finding[] } {
  const items: DriftItem[] = [];
  for (const a of plan.actions) {
    if (a.kind === 'create') {
      items.push({ code: 'drift-dataset-missing', host, what: `zfs/${a.dataset}`, expected: 'the dataset', actual: 'none' });
    } else if (normalizeValue(a.property, a.from) !== normalizeValue(a.property, a.to.replace(/ from .*$/, ''))) {
      items.push({ code: 'drift-dataset-property', host, what: `zfs/${a.dataset}/${a.property}`, expected: a.to, actual: a.from });
    }
  }
  const pool = plan.findings.find((f) => f.code === 'zfs-pool-missing');
  if (pool) items.push({ code: 'drift-dataset-missing', host, what: `zfs/${plan.pool}`, expected: `the pool ${plan.pool}`, actual: 'none' });
  // What the plan could not read or will not change (unreadable output, creation-only properties) is passed on as it is.
  return { items, findings: plan.findings.filter((f) => f.code !== 'zfs-pool-missing') };
}
