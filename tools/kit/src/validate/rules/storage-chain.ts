import { defineRule, hostPath } from '../rule.js';
import type { HostDef } from '../../model/host.js';
import type { Lab } from '../../model/lab.js';
import { poolHost } from '../../model/proxmox-host.js';
import { proxmoxDatasetPath } from '../../model/lxc.js';
import type { DatasetRef } from '../../model/zfs.js';
import { directoryMappingId } from '../../model/guest-facts.js';
import { guestNode, poolNodes } from '../../model/placement.js';

/** True when the reference names a dataset of the lab's layout. */
export function isKnownDataset(lab: Lab, ref: DatasetRef): boolean {
  return ref.pool === lab.facts.zfs.pool && Object.hasOwn(lab.facts.zfs.datasets, ref.name);
}

const CONFIG_ID = /^[a-z][a-z0-9_-]+$/i;
const MAPPING_PATH = /^\/[^;,=()]+$/;

function checkStorage(lab: Lab, host: HostDef, report: (code: string, path: string, message: string) => void): void {
  const holder = poolHost(lab);
  host.storage.forEach((ref, i) => {
    const path = hostPath(host, `storage[${i}]`);
    if (!isKnownDataset(lab, ref)) return; // the storage rule reports it (dataset-unknown)
    const node = guestNode(lab.facts, host);
    const copies = poolNodes(lab);
    if (holder && !copies.has(node)) {
      const others = [...copies].filter((n) => n !== holder.node).sort();
      const where = others.length ? `${holder.node} (packages/${holder.name}) and on ${others.join(', ')}` : `${holder.node} (packages/${holder.name})`;
      report('dataset-node-mismatch', path, `${host.name} runs on node ${node}, but pool ${holder.pool} is on ${where}; a mount can only come from the node's own pool. Move the guest to ${[...copies].sort().join(' or ')}, mark ${node} holdsPool in proxmox.nodes, or drop the mount.`);
    }
    if (host.kind === 'vm') {
      const id = directoryMappingId(ref);
      if (!CONFIG_ID.test(id) || !MAPPING_PATH.test(proxmoxDatasetPath(lab.facts.zfs, ref.name))) {
        report('directory-mapping-id-invalid', path, `the virtiofs directory mapping for ${ref.name} would be "${id}", which Proxmox refuses (an id is a letter then letters, digits, '-' or '_'; a path has no ; , = ( or )). Rename the dataset.`);
      }
    }
  });
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
 * The chain from dataset to guest, past what the storage rule checks (a service's dataset is in
 * its host's storage and its domain): the mount comes from a node that holds the pool (or a copy), and a
 * VM's mount has a directory-mapping id Proxmox accepts.
 */
export const storageChainRule = defineRule({
  description: 'The chain from dataset to guest: the dataset on the guest\'s node, a valid directory mapping id',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['dataset-node-mismatch', 'directory-mapping-id-invalid'],
  check(lab, findings) {
    const report = (code: string, path: string, message: string) => findings.error(code, path, message);
    for (const host of lab.hosts) checkStorage(lab, host, report);
    checkMappingIds(lab, report);
  },
});
