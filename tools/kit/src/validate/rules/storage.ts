import { defineRule, servicePath, hostPath } from '../rule.js';
import { inheritedSetting, isWithinDataset, type DatasetSpec } from '../../model/zfs.js';

/**
 * Storage: every bind mount names a dataset of the layout that its host declares; a dataset owned
 * by another host's domain is read-only there; libraries are read-only for roles that only read them.
 */
export const storageRule = defineRule({
  description: 'Storage: a service\'s datasets exist, are on its host, owned by it, and read-only where asked',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['dataset-unknown', 'dataset-not-on-host', 'dataset-not-owned', 'mount-not-readonly'],
  check(lab, findings) {
    const zfs = lab.facts.zfs;
    const datasets = zfs.datasets as Readonly<Record<string, DatasetSpec>>;
    const known = (name: string) => Object.prototype.hasOwnProperty.call(datasets, name);
    for (const host of lab.hosts) {
      host.storage.forEach((ref, i) => {
        if (!known(ref.name)) findings.error('dataset-unknown', hostPath(host, `storage[${i}]`), `${ref.name} is not a dataset of ${zfs.pool}'s layout (packages/shared/src/zfs.ts).`);
      });
      for (const service of host.services) {
        (service.volumes ?? []).forEach((volume, i) => {
          if (!('dataset' in volume)) return;
          const path = servicePath(host, service, `volumes[${i}]`);
          const name = volume.dataset.name;
          if (!known(name)) {
            findings.error('dataset-unknown', path, `${name} is not a dataset of ${zfs.pool}'s layout; add it to packages/shared/src/zfs.ts or mount one that exists.`);
            return;
          }
          if (!host.storage.some((s) => isWithinDataset(name, s.name))) {
            findings.error('dataset-not-on-host', path, `${service.name} mounts ${zfs.pool}/${name}, which ${host.name} does not have (its storage: ${host.storage.map((s) => s.name).join(', ') || 'none'}). Add the dataset to ${host.name}'s storage in src/host.ts if this host's domain includes it.`);
          }
          const owners = inheritedSetting(zfs, name, 'owners');
          if (owners && !owners.includes(host.name) && !volume.readOnly) {
            findings.error('dataset-not-owned', path, `${zfs.pool}/${name} belongs to ${owners.join(', ')}'s domain; ${host.name} may mount it read-only only (readOnly: true), or the service belongs on ${owners[0]}.`);
          }
          const writers = inheritedSetting(zfs, name, 'writableBy');
          if (writers && !volume.readOnly && !writers.includes(service.role ?? 'app')) {
            findings.error('mount-not-readonly', path, `${service.name} (role ${service.role ?? 'app'}) only reads ${zfs.pool}/${name} (writable by: ${writers.join(', ')}); mount it with readOnly: true.`);
          }
        });
      }
    }
  },
});
