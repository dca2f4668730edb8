import type { GuestBackupJob, Lab } from '../src/index.js';
import { allGuestsBackedUp } from './cluster-cases.js';
import { base, pve, ref, withNode, withProperty } from './storage-fixtures.js';

export const job: GuestBackupJob = pve.guestBackups![0]!;
export const withJob = (lab: Lab, change: Partial<GuestBackupJob>): Lab => withNode(lab, () => ({ guestBackups: [{ ...job, ...change }] }));

// Each row breaks one thing of the real lab's guest backup job (pve) and names the finding it must produce.
export const guestBackupCases: { name: string; lab: () => Lab; code: string; path: string }[] = [
  { name: 'archives into a read-only dataset', lab: () => withProperty(base, 'backups/vzdump', 'readonly', 'on'), code: 'backup-job-storage', path: 'pve/guestBackups[0]/storage.dataset' },
  { name: 'archives into a dataset the layout lacks', lab: () => withJob(base, { storage: { ...job.storage, dataset: ref('archive') } }), code: 'backup-job-storage', path: 'pve/guestBackups[0]/storage.dataset' },
  { name: 'archives below a parent made read-only', lab: () => withProperty(base, 'backups', 'readonly', 'on'), code: 'backup-job-storage', path: 'pve/guestBackups[0]/storage.dataset' },
  { name: 'one storage id for two places', lab: () => withNode(base, () => ({ guestBackups: [job, { ...job, id: 'second', storage: { ...job.storage, sub: 'other' } }] })), code: 'backup-job-storage', path: 'pve/guestBackups[1]/storage.id' },
  { name: 'a storage id with a space', lab: () => withJob(base, { storage: { ...job.storage, id: 'tank backups' } }), code: 'backup-job-invalid', path: 'pve/guestBackups[0]/storage.id' },
  { name: 'a folder with a parenthesis', lab: () => withJob(base, { storage: { ...job.storage, sub: 'a(b)' } }), code: 'backup-job-invalid', path: 'pve/guestBackups[0]/storage.sub' },
  { name: 'a job id starting with a digit', lab: () => withJob(base, { id: '1nightly' }), code: 'backup-job-invalid', path: 'pve/guestBackups[0]/id' },
  { name: 'two jobs with one id', lab: () => withNode(base, () => ({ guestBackups: [job, job] })), code: 'backup-job-invalid', path: 'pve/guestBackups[1]/id' },
  { name: 'a schedule that is a cron line', lab: () => withJob(base, { schedule: '0 1 * * *' }), code: 'backup-job-invalid', path: 'pve/guestBackups[0]/schedule' },
  { name: 'a negative count', lab: () => withJob(base, { keep: { daily: -1 } }), code: 'backup-job-invalid', path: 'pve/guestBackups[0]/keep.daily' },
  { name: 'counts that keep nothing (keep-all)', lab: () => withJob(base, { keep: { daily: 0 } }), code: 'backup-job-invalid', path: 'pve/guestBackups[0]/keep' },
  { name: 'a comment on two lines', lab: () => withJob(base, { comment: 'one\ntwo' }), code: 'backup-job-invalid', path: 'pve/guestBackups[0]/comment' },
  { name: 'a vmid no guest has', lab: () => withJob(base, { guests: [123, 999] }), code: 'backup-job-guest-unknown', path: 'pve/guestBackups[0]/guests[1]' },
  { name: 'in a cluster, a job for every guest while lxc-vpn runs on pve3, without the pool', lab: allGuestsBackedUp, code: 'backup-storage-unreachable', path: 'lxc-vpn/node' },
];
