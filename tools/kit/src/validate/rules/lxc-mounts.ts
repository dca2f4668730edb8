import { isWithinDataset } from '../../model/zfs.js';
import { isLxcHost } from '../../model/lxc.js';
import { defineRule, hostPath } from '../rule.js';

/** Every bind mount of an LXC names a dataset of the layout that the host owns (its `storage`). */
export const lxcMountsRule = defineRule({
  codes: ['lxc-mount-dataset-unknown', 'lxc-mount-outside-storage'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      if (!isLxcHost(host)) continue;
      (host.mounts ?? []).forEach((m, i) => {
        const path = hostPath(host, `mounts[${i}]`);
        if (!(m.dataset.name in lab.facts.zfs.datasets)) {
          findings.error('lxc-mount-dataset-unknown', path, `dataset "${m.dataset.name}" is not in the ZFS layout (packages/shared/src/zfs.ts); mount one of its datasets or add it there.`);
        } else if (!host.storage.some((s) => isWithinDataset(m.dataset.name, s.name))) {
          findings.error('lxc-mount-outside-storage', path, `${host.name} mounts ${m.dataset.name}, which is not among its storage (${host.storage.map((s) => s.name).join(', ') || 'none'}); add the dataset to storage in src/host.ts if this host should own it.`);
        }
      });
    }
  },
});
