import { createHash } from 'node:crypto';
import { datasetFullName, type DatasetRef } from './zfs.js';

/**
 * A guest's MAC address when its facts name none: Proxmox's own prefix (BC:24:11) and three bytes
 * of the guest name's hash, so it is stable across renders and unicast.
 */
export function derivedHwaddr(name: string): string {
  const bytes = createHash('sha256').update(name).digest().subarray(0, 3);
  return ['BC', '24', '11', ...[...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase())].join(':');
}

/**
 * The id of the Proxmox directory mapping that exposes a dataset to VMs over virtiofs: the
 * dataset's full name with '/' as '-' (tank/services/media -> tank-services-media). A VM's
 * `virtiofsN: <id>` line names it; the guest mounts it by the same tag.
 */
export function directoryMappingId(dataset: Pick<DatasetRef, 'pool' | 'name'>): string {
  return datasetFullName(dataset.pool, dataset.name).replace(/\//g, '-');
}
