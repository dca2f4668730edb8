import { describe, expect, it } from 'vitest';
import { renderNode, validateLab, type GuestBackupJob, type Lab } from '../src/index.js';
import { isPveCalendarEvent } from '../src/validate/pve-formats.js';
import { base, pve, ref, withDatasets, withNode } from './storage-fixtures.js';

const job: GuestBackupJob = pve.guestBackups![0]!;
const withJob = (lab: Lab, change: Partial<GuestBackupJob>): Lab => withNode(lab, () => ({ guestBackups: [{ ...job, ...change }] }));
const errors = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'error');

describe('the real lab\'s guest backups', () => {
  it('archive every guest nightly into a dir storage on tank/backups', () => {
    const files = new Map(renderNode(base, pve).artifacts.map((a) => [a.path, a]));
    expect(files.get('storage.cfg')!.content).toContain('dir: tank-backups\n\tpath /tank/backups/vzdump\n\tcontent backup\n\tnodes pve\n\tis_mountpoint yes\n\n');
    const jobs = files.get('jobs.cfg')!.content;
    expect(jobs).toContain('vzdump: homelab-guests\n\tschedule 01:00\n\tall 1\n');
    expect(jobs).toContain('\tmode snapshot\n');
    expect(jobs).toContain('\tprune-backups keep-daily=7,keep-weekly=4,keep-monthly=3\n\tstorage tank-backups\n');
    // Both are the cluster's files with sections the lab does not own: merged, never overwritten.
    expect(files.get('storage.cfg')!.install).toEqual({ path: '/etc/pve/storage.cfg', merge: 'sections' });
    expect(files.get('jobs.cfg')!.install).toEqual({ path: '/etc/pve/jobs.cfg', merge: 'sections' });
  });

  it('a vmid list and a folder of the dataset', () => {
    const lab = withJob(base, { guests: [123, 111], storage: { ...job.storage, sub: 'nightly' } });
    const files = new Map(renderNode(lab, lab.nodes![0]!).artifacts.map((a) => [a.path, a.content]));
    expect(files.get('jobs.cfg')).toContain('\tvmid 111,123\n');
    expect(files.get('jobs.cfg')).not.toContain('\tall 1\n');
    expect(files.get('storage.cfg')).toContain('\tpath /tank/backups/vzdump/nightly\n');
    expect(files.get('storage.cfg')).toContain('\tis_mountpoint /tank/backups/vzdump\n');
    expect(errors(lab)).toEqual([]);
  });

  it('has no errors', () => {
    expect(errors(base)).toEqual([]);
  });
});

const cases: { name: string; lab: () => Lab; code: string; path: string }[] = [
  { name: 'archives into the read-only replica target', lab: () => withJob(base, { storage: { ...job.storage, dataset: ref('backups') } }), code: 'backup-job-storage', path: 'pve/guestBackups[0]/storage.dataset' },
  { name: 'archives into a dataset the layout lacks', lab: () => withJob(base, { storage: { ...job.storage, dataset: ref('archive') } }), code: 'backup-job-storage', path: 'pve/guestBackups[0]/storage.dataset' },
  { name: 'a child of the replica target that forgot readonly=off', lab: () => withDatasets(base, { 'backups/vzdump': { purpose: 'archives' } }), code: 'backup-job-storage', path: 'pve/guestBackups[0]/storage.dataset' },
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
];

describe('every guest-backup rule fails on its example', () => {
  it.each(cases)('$name -> $code at $path', ({ lab, code, path }) => {
    const found = errors(lab());
    expect(found.map((f) => [f.code, f.path])).toContainEqual([code, path]);
    expect(found.find((f) => f.code === code && f.path === path)!.message.length).toBeGreaterThan(40);
  });
});

describe('calendar events', () => {
  it('takes the shapes a backup job uses and refuses cron lines', () => {
    expect(['01:00', '1:05', 'sun 03:00', 'mon..fri 22:30', 'sat,sun 4:00', '*/6:00', 'daily', 'weekly'].filter((e) => !isPveCalendarEvent(e))).toEqual([]);
    expect(['0 1 * * *', '25:00', '01:60', 'sunday 03:00', '', 'nightly'].filter(isPveCalendarEvent)).toEqual([]);
  });
});
