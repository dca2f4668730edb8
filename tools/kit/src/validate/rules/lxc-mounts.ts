import { inheritedSetting, isWithinDataset } from '../../model/zfs.js';
import { isLxcHost } from '../../model/lxc.js';
import { defineRule, hostPath } from '../rule.js';

/**
 * The storage rule's checks for an LXC's bind mounts (`mounts[i]`, `mpN`): a dataset of the layout,
 * among the host's `storage`, and read-only when it belongs to another host's domain.
 */
export const lxcMountsRule = defineRule({
  description: 'The storage rule\'s checks for an LXC\'s bind mounts (`mounts[i]`, `mpN`)',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['dataset-unknown', 'dataset-not-on-host', 'dataset-not-owned'],
  check(lab, findings) {
    const zfs = lab.facts.zfs;
    for (const host of lab.hosts) {
      if (!isLxcHost(host)) continue;
      (host.mounts ?? []).forEach((m, i) => {
        const path = hostPath(host, `mounts[${i}]`);
        const name = m.dataset.name;
        if (!Object.prototype.hasOwnProperty.call(zfs.datasets, name)) {
          findings.error('dataset-unknown', path, `${name} is not a dataset of ${zfs.pool}'s layout; add it to packages/shared/src/zfs.ts or mount one that exists.`);
          return;
        }
        if (!host.storage.some((s) => isWithinDataset(name, s.name))) {
          findings.error('dataset-not-on-host', path, `${host.name} mounts ${zfs.pool}/${name}, which is not among its storage (${host.storage.map((s) => s.name).join(', ') || 'none'}); add it to storage in src/host.ts if this host's domain includes it.`);
        }
        const owners = inheritedSetting(zfs, name, 'owners');
        if (owners && !owners.includes(host.name) && !m.readOnly) {
          findings.error('dataset-not-owned', path, `${zfs.pool}/${name} belongs to ${owners.join(', ')}'s domain; ${host.name} may mount it read-only only (readOnly: true).`);
        }
      });
    }
  },
});
