import { describe, expect, it } from 'vitest';
import { renderNode, validateLab, type Lab } from '../src/internal.js';
import { isPveCalendarEvent } from '../src/validate/pve-formats.js';
import { guestBackupCases, job, withJob } from './guest-backup-cases.js';
import { base, pve } from './storage-fixtures.js';

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


describe('every guest-backup rule fails on its example', () => {
  it.each(guestBackupCases)('$name -> $code at $path', ({ lab, code, path }) => {
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

  it('reads the whole calendar-event grammar, as Proxmox documents it ([WEEKDAY] [[YEARS-]MONTHS-DAYS] [HOURS:MINUTES[:SECONDS]])', () => {
    // Each from the grammar and the examples of Proxmox's "Calendar Events" page (pbs.proxmox.com/docs/calendarevents.html).
    const valid = ['*-*-* 02:00', '2026-12-07 12:00', '*-01,04,07,10-01 00:00:00', 'mon *-*-* 00:00:00', '*-*-01', 'mon..fri 8..17,22:0/15', 'fri 12..13:5/20', '12,14,16,18,20,22:5', '*/2:0', '*/15', 'sat,sun', 'mon..wed,fri 03:30', '*:00', 'semi-annually', '01,05..10,12/02:00'];
    expect(valid.filter((e) => !isPveCalendarEvent(e))).toEqual([]);
    const invalid = ['*-13-01 00:00', '*-*-32', 'mon..fry 02:00', '02:00 mon', '*-*-* 02:00 extra', '10..5:00', '*..5:00', '*/0', '02:00:60', ' 02:00', 'mon tue', '1-2-3-4'];
    expect(invalid.filter(isPveCalendarEvent)).toEqual([]);
  });
});
