import { defineRule, hostPath, servicePath } from '../rule.js';
import type { HostDef } from '../../model/host.js';
import type { Lab } from '../../model/lab.js';
import { poolHost } from '../../model/proxmox-host.js';
import { datasetDomain, datasetFullName, datasetHostMountpoint, datasetSubtree, isWithinDataset, type DatasetRef } from '../../model/zfs.js';
import { directoryMappingId } from '../../render/directory-mapping.js';

/** True when the reference names a dataset of the lab's layout. */
export function isKnownDataset(lab: Lab, ref: DatasetRef): boolean {
  return ref.pool === lab.facts.zfs.pool && Object.hasOwn(lab.facts.zfs.datasets, ref.name);
}

function unknownMessage(lab: Lab, ref: DatasetRef): string {
  return `${datasetFullName(ref.pool, ref.name)} is not a dataset of the layout (pool ${lab.facts.zfs.pool}: ${Object.keys(lab.facts.zfs.datasets).sort().join(', ')}). Name one of them, or add it to packages/shared/src/zfs.ts.`;
}

/** The datasets of a storage entry whose domain does not include the host. */
function foreignDatasets(lab: Lab, host: HostDef, ref: DatasetRef): { dataset: string; owner: string }[] {
  return datasetSubtree(lab.facts.zfs, ref.name).flatMap((dataset) => {
    const domain = datasetDomain(lab.facts.zfs, dataset);
    if (!domain || domain.owner === host.name || Object.hasOwn(domain.sharedWith ?? {}, host.name)) return [];
    return [{ dataset, owner: domain.owner }];
  });
}

const CONFIG_ID = /^[a-z][a-z0-9_-]+$/i;
const MAPPING_PATH = /^\/[^;,=()]+$/;

function checkStorage(lab: Lab, host: HostDef, report: (code: string, path: string, message: string) => void): void {
  const holder = poolHost(lab);
  host.storage.forEach((ref, i) => {
    const path = hostPath(host, `storage[${i}]`);
    if (!isKnownDataset(lab, ref)) {
      report('dataset-unknown', path, unknownMessage(lab, ref));
      return;
    }
    const foreign = foreignDatasets(lab, host, ref);
    if (foreign.length > 0) {
      const list = foreign.map((f) => `${f.dataset} (${f.owner})`).join(', ');
      report('dataset-foreign-domain', path, `${host.name} mounts ${ref.name}, which holds data of another host's domain: ${list}. Mount only your own datasets, or add ${host.name} with a reason to the dataset's domain.sharedWith in packages/shared/src/zfs.ts.`);
    }
    const node = host.node ?? lab.facts.proxmox.defaultNode;
    if (holder && node !== holder.node) {
      report('dataset-node-mismatch', path, `${host.name} runs on node ${node}, but pool ${holder.pool} is on ${holder.node} (packages/${holder.name}); a mount can only come from the node's own pool. Move the guest to ${holder.node} or drop the mount.`);
    }
    if (host.kind === 'vm') {
      const id = directoryMappingId(ref);
      if (!CONFIG_ID.test(id) || !MAPPING_PATH.test(datasetHostMountpoint(ref.pool, ref.name))) {
        report('directory-mapping-id-invalid', path, `the virtiofs directory mapping for ${ref.name} would be "${id}", which Proxmox refuses (an id is a letter then letters, digits, '-' or '_'; a path has no ; , = ( or )). Rename the dataset.`);
      }
    }
  });
}

function checkVolumes(lab: Lab, host: HostDef, report: (code: string, path: string, message: string) => void): void {
  for (const service of host.services) {
    (service.volumes ?? []).forEach((volume, i) => {
      if (!('dataset' in volume)) return;
      const path = servicePath(host, service, `volumes[${i}]`);
      const ref = volume.dataset;
      if (!isKnownDataset(lab, ref)) {
        report('dataset-unknown', path, unknownMessage(lab, ref));
        return;
      }
      const mounted = host.storage.some((s) => s.pool === ref.pool && isWithinDataset(ref.name, s.name));
      if (!mounted) {
        report('dataset-not-mounted', path, `${service.name} uses ${ref.name}, but ${host.name} does not mount it: add zfs.dataset('${ref.name}') to storage in packages/${host.name}/src/host.ts (${host.kind === 'vm' ? 'a virtiofs directory mapping' : 'an mpN bind mount'}).`);
      }
    });
  }
}

/** Two datasets whose mapping ids collide (tank/a-b and tank/a/b): one would shadow the other. */
function checkMappingIds(lab: Lab, report: (code: string, path: string, message: string) => void): void {
  const seen = new Map<string, string>();
  for (const name of Object.keys(lab.facts.zfs.datasets).sort()) {
    const id = directoryMappingId({ pool: lab.facts.zfs.pool, name });
    const other = seen.get(id);
    if (other !== undefined) report('directory-mapping-id-invalid', `shared/zfs/${name}`, `datasets ${other} and ${name} would both be the virtiofs directory mapping "${id}". Rename one.`);
    seen.set(id, name);
  }
}

/**
 * The chain from dataset to container: a service's dataset is mounted into its host, the host
 * belongs to the dataset's domain, and the mount comes from the node that holds the pool.
 */
export const storageChainRule = defineRule({
  codes: ['dataset-unknown', 'dataset-not-mounted', 'dataset-foreign-domain', 'dataset-node-mismatch', 'directory-mapping-id-invalid'],
  check(lab, findings) {
    const report = (code: string, path: string, message: string) => findings.error(code, path, message);
    for (const host of lab.hosts) {
      checkStorage(lab, host, report);
      checkVolumes(lab, host, report);
    }
    checkMappingIds(lab, report);
  },
});
