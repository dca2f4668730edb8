import { defineRule } from '../rule.js';
import { datasetLineage } from '../../model/zfs.js';
import { isUserProperty, normalizeValue, propertyRule, propertyValueProblem } from '../../zfs/properties.js';
import { effectiveProperties, wantedLayout } from '../../zfs/wanted.js';
import { datasetFullName } from '../../model/zfs.js';

/**
 * The layout's datasets and properties are ones `zfs create` accepts: known properties with
 * valid values, each with its reason, every parent in the layout, no contradicting pair.
 */
export const zfsLayoutRule = defineRule({
  description: 'The layout\'s datasets and properties are ones `zfs create` accepts',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['zfs-property-unknown', 'zfs-property-value', 'zfs-property-reason', 'zfs-parent-missing', 'zfs-property-conflict'],
  check(lab, findings) {
    const layout = lab.facts.zfs;
    const wanted = wantedLayout(layout);
    for (const name of Object.keys(layout.datasets).sort()) {
      const at = `shared/zfs/${name}`;
      const parent = datasetLineage(name)[1];
      if (parent !== undefined && !Object.hasOwn(layout.datasets, parent)) {
        findings.error('zfs-parent-missing', at, `${name} has no parent ${parent} in the layout; zfs create needs the parent first. Add ${parent} to packages/shared/src/zfs.ts.`);
      }
      for (const [prop, { value, why }] of Object.entries(layout.datasets[name]!.properties ?? {})) {
        const path = `${at}/properties.${prop}`;
        if (!propertyRule(prop) && !isUserProperty(prop)) {
          findings.error('zfs-property-unknown', path, `"${prop}" is not a property zfs can set on a file system (zfsprops(7)); check its spelling, or name a user property module:name.`);
          continue;
        }
        const problem = propertyValueProblem(prop, value);
        if (problem) findings.error('zfs-property-value', path, `${prop}=${value} is not valid: ${prop} takes ${problem}.`);
        if (why.trim().length < 10) findings.error('zfs-property-reason', path, `${prop}=${value} needs its reason: one line saying why this dataset wants it.`);
      }
      const effective = effectiveProperties(wanted, datasetFullName(layout.pool, name));
      const normalization = effective.get('normalization');
      const utf8only = effective.get('utf8only');
      if (normalization && normalizeValue('normalization', normalization.value) !== 'none' && utf8only?.value === 'off') {
        findings.error('zfs-property-conflict', `${at}/properties.utf8only`, `${name} has normalization=${normalization.value} with utf8only=off; zfs refuses that pair (normalization compares UTF-8 names). Set utf8only=on or normalization=none.`);
      }
    }
  },
});
