import { defineRule } from '../rule.js';
import type { Findings } from '../../findings.js';
import type { GuestBackupJob } from '../../model/guest-backup.js';
import type { Lab } from '../../model/lab.js';
import type { ProxmoxHostDef } from '../../model/proxmox-host.js';
import { datasetLineage, type DatasetSpec } from '../../model/zfs.js';
import { backupStorageNodes, backupStoragePath } from '../../model/backup-storage.js';
import { isPveCalendarEvent, isPveConfigId, isPveStorageId, isPveStoragePath } from '../pve-formats.js';
import { isKnownDataset } from './storage-chain.js';
import { guestNode, isCluster } from '../../model/placement.js';

/** The nearest `readonly` setting of the dataset or its ancestors. */
function readonlyFrom(lab: Lab, dataset: string): string | undefined {
  const datasets = lab.facts.zfs.datasets as Readonly<Record<string, DatasetSpec>>;
  return datasetLineage(dataset).find((d) => datasets[d]?.properties?.readonly !== undefined);
}

function checkStorage(lab: Lab, node: ProxmoxHostDef, job: GuestBackupJob, at: (f: string) => string, findings: Findings): void {
  const { dataset } = job.storage;
  if (!isPveStorageId(job.storage.id)) findings.error('backup-job-invalid', at('storage.id'), `storage id "${job.storage.id}" is not a Proxmox storage id (a letter first, then letters, digits, '-', '_', '.'; at least 2 characters).`);
  if (!isKnownDataset(lab, dataset) || dataset.pool !== node.pool) {
    findings.error('backup-job-storage', at('storage.dataset'), `${dataset.pool}/${dataset.name} is not a dataset of the pool ${node.pool} this node holds; write the archives to one of: ${Object.keys(lab.facts.zfs.datasets).sort().join(', ')}.`);
    return;
  }
  const path = backupStoragePath(lab, job);
  if (!isPveStoragePath(path) || /(^|\/)\.\.?(\/|$)/.test(job.storage.sub ?? '')) findings.error('backup-job-invalid', at('storage.sub'), `the storage path ${path} is not one Proxmox takes (absolute, no ';', '(' or ')', no '.' or '..' folders).`);
  const from = readonlyFrom(lab, dataset.name);
  const datasets = lab.facts.zfs.datasets as Readonly<Record<string, DatasetSpec>>;
  if (from && datasets[from]!.properties!.readonly!.value === 'on') {
    findings.error('backup-job-storage', at('storage.dataset'), `${dataset.pool}/${dataset.name} is read-only (readonly=on${from === dataset.name ? '' : `, from ${from}`}): vzdump could write no archive there. Give the archives a dataset of their own with readonly=off (packages/shared/src/zfs.ts).`);
  }
}

/**
 * In a cluster the job runs on every node, and each node writes its own guests' archives to the
 * storage, which is on the nodes with a copy of the pool: a guest the job covers on another node
 * would get no archive (vzdump fails there: the storage is not available on that node).
 */
function checkReach(lab: Lab, node: ProxmoxHostDef, job: GuestBackupJob, findings: Findings): void {
  const reached = backupStorageNodes(lab, node);
  const covered = lab.hosts.filter((h) => job.guests === 'all' || job.guests.includes(h.vmid));
  for (const guest of covered) {
    const on = guestNode(lab.facts, guest);
    if (reached.includes(on)) continue;
    findings.error('backup-storage-unreachable', `${guest.name}/node`, `backup job ${job.id} (${node.name}) covers ${guest.name}, which runs on ${on}, but its storage ${job.storage.id} is on ${reached.join(', ')} only (the nodes with a copy of ${node.pool}): vzdump on ${on} would fail and archive nothing. Place ${guest.name} on one of those nodes, or leave it out of the job (a list of vmids) and back it up to a storage ${on} has.`);
  }
}

function checkJob(lab: Lab, node: ProxmoxHostDef, job: GuestBackupJob, j: number, findings: Findings): void {
  const at = (field: string) => `${node.name}/guestBackups[${j}]/${field}`;
  if (!isPveConfigId(job.id)) findings.error('backup-job-invalid', at('id'), `job id "${job.id}" is not a Proxmox config id (a letter, then letters, digits, '-', '_').`);
  if (!isPveCalendarEvent(job.schedule)) findings.error('backup-job-invalid', at('schedule'), `schedule "${job.schedule}" is not a calendar event Proxmox reads; write e.g. "01:00" (daily), "sun 03:00" or "mon..fri 22:30".`);
  if (job.comment !== undefined && /[\n\r]/.test(job.comment)) findings.error('backup-job-invalid', at('comment'), 'the comment is one line in jobs.cfg; remove its line breaks.');
  const counts = Object.entries(job.keep);
  const bad = counts.find(([, n]) => !Number.isInteger(n) || (n as number) < 0);
  if (bad) findings.error('backup-job-invalid', at(`keep.${bad[0]}`), `keep.${bad[0]} is ${bad[1]}; it counts archives, a whole number of 0 or more.`);
  else if (!counts.some(([, n]) => (n as number) > 0)) findings.error('backup-job-invalid', at('keep'), 'keep counts no archive: Proxmox reads that as keep-all and the storage fills up. Keep e.g. { daily: 7, weekly: 4 }.');
  checkStorage(lab, node, job, at, findings);
  checkReach(lab, node, job, findings);
  if (job.guests !== 'all') {
    // In a cluster the job runs on every node: any guest of the lab may be listed.
    const here = new Map(lab.hosts.filter((h) => isCluster(lab.facts) || guestNode(lab.facts, h) === node.node).map((h) => [h.vmid, h.name]));
    job.guests.forEach((vmid, k) => {
      if (!here.has(vmid)) findings.error('backup-job-guest-unknown', at(`guests[${k}]`), `no guest of node ${node.node} has vmid ${vmid}; back up one of: ${[...here].sort(([a], [b]) => a - b).map(([v, n]) => `${v} (${n})`).join(', ')}.`);
    });
  }
}

/** Proxmox backup jobs: ids, schedules, retention, guests, and a storage on a writable dataset of the node's pool. */
export const guestBackupsRule = defineRule({
  description: 'Proxmox backup jobs are valid, store on a writable dataset, and back up the lab\'s guests',
  docs: 'findings.md#storage-datasets-snapshots-replication',
  codes: ['backup-job-invalid', 'backup-job-storage', 'backup-job-guest-unknown', 'backup-storage-unreachable'],
  check(lab, findings) {
    for (const node of lab.nodes ?? []) {
      const ids = new Set<string>();
      const storages = new Map<string, string>();
      (node.guestBackups ?? []).forEach((job, j) => {
        if (ids.has(job.id)) findings.error('backup-job-invalid', `${node.name}/guestBackups[${j}]/id`, `two backup jobs are named "${job.id}"; jobs.cfg holds one section per id. Rename one.`);
        ids.add(job.id);
        const place = `${job.storage.dataset.pool}/${job.storage.dataset.name}/${job.storage.sub ?? ''}`;
        if ((storages.get(job.storage.id) ?? place) !== place) findings.error('backup-job-storage', `${node.name}/guestBackups[${j}]/storage.id`, `storage "${job.storage.id}" is given two places (${storages.get(job.storage.id)} and ${place}); storage.cfg holds one path per id.`);
        storages.set(job.storage.id, place);
        checkJob(lab, node, job, j, findings);
      });
    }
  },
});
