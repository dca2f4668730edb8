import { describe, expect, it } from 'vitest';
import { commonSnapshots, requireSnapshot, restorePlan, rsyncScript, snapshotListScript, type DeployError } from '../src/internal.js';
import { base, withDatasets } from './storage-fixtures.js';

describe('homelab restore: what a service restore touches', () => {
  it('sonarr: its config folder only, never the libraries or downloads it also mounts', () => {
    const plan = restorePlan(base, 'vm-media', 'sonarr');
    expect(plan.folders.map((f) => [f.fullName, f.sub, f.path])).toEqual([['tank/services/media', 'sonarr', '/tank/services/media/sonarr']]);
    expect(plan.stop).toEqual(['sonarr']);
  });

  it('pelican-panel: both of its folders of services/games', () => {
    const plan = restorePlan(base, 'vm-games', 'pelican-panel');
    expect(plan.folders.map((f) => f.path)).toEqual(['/tank/services/games/panel/data', '/tank/services/games/panel/logs']);
  });

  it('stops every service of the host that mounts a restored folder (nextcloud-cron with nextcloud)', () => {
    const plan = restorePlan(base, 'vm-apps', 'nextcloud');
    expect(plan.stop).toContain('nextcloud');
    expect(plan.stop).toContain('nextcloud-cron');
    expect(plan.stop).not.toContain('vaultwarden');
  });

  it('nextcloud: its files and its database from the same snapshot, never the files alone', () => {
    const plan = restorePlan(base, 'vm-apps', 'nextcloud');
    expect(plan.folders.map((f) => f.path)).toEqual(['/tank/services/apps/nextcloud/html', '/tank/services/apps/nextcloud/postgres']);
    expect(plan.restored).toEqual(['nextcloud', 'nextcloud-postgres']);
    expect(plan.stop).toEqual(['nextcloud', 'nextcloud-cron', 'nextcloud-postgres']);
  });

  it('immich-server: its uploads with its database; a database restored alone stays alone', () => {
    expect(restorePlan(base, 'vm-apps', 'immich-server').folders.map((f) => f.path)).toEqual(['/tank/services/apps/immich/data', '/tank/services/apps/immich/postgres']);
    const db = restorePlan(base, 'vm-apps', 'immich-postgres');
    expect(db.restored).toEqual(['immich-postgres']);
    expect(db.folders.map((f) => f.path)).toEqual(['/tank/services/apps/immich/postgres']);
  });

  it('pins the command lines: the snapshot list, and rsync from .zfs/snapshot with --delete', () => {
    const plan = restorePlan(base, 'vm-media', 'sonarr');
    expect(snapshotListScript(plan)).toBe('zfs list -H -p -t snapshot -o name -s creation -d 1 tank/services/media');
    expect(rsyncScript(plan.folders[0]!, 'autosnap_2026-11-25_23:59:01_daily').split('\n')).toEqual([
      "[ -d /tank/services/media/.zfs/snapshot/autosnap_2026-11-25_23:59:01_daily/sonarr ] || { echo '/tank/services/media/.zfs/snapshot/autosnap_2026-11-25_23:59:01_daily/sonarr is not there: the snapshot has no folder sonarr, or the pool shows no .zfs/snapshot directory (zfs-fuse has none)' >&2; exit 1; }",
      'mkdir -p /tank/services/media/sonarr',
      'rsync -aHAX --delete /tank/services/media/.zfs/snapshot/autosnap_2026-11-25_23:59:01_daily/sonarr/ /tank/services/media/sonarr/',
    ]);
  });

  it('excludes a child dataset below the folder (its own mount, empty in the parent\'s snapshot)', () => {
    const lab = withDatasets(base, { 'services/media/sonarr/cache': { purpose: 'a child below a folder' } });
    const plan = restorePlan(lab, 'vm-media', 'sonarr');
    expect(plan.folders[0]!.excludes).toEqual(['/cache']);
    expect(rsyncScript(plan.folders[0]!, 's1')).toContain('rsync -aHAX --delete --exclude=/cache ');
  });

  it('offers only the snapshots every restored dataset has, oldest first', () => {
    const plan = restorePlan(base, 'vm-media', 'sonarr');
    const listing = 'tank/services/media@autosnap_a_daily\ntank/services/media@autosnap_b_hourly\ntank/services/downloads@autosnap_b_hourly\n';
    expect(commonSnapshots(plan, listing)).toEqual(['autosnap_a_daily', 'autosnap_b_hourly']);
  });

  it('refuses a snapshot that is not there, naming the ones that are', () => {
    const plan = restorePlan(base, 'vm-media', 'sonarr');
    const listing = 'tank/services/media@autosnap_a_daily\ntank/services/media@autosnap_b_hourly\n';
    expect(() => requireSnapshot(plan, listing, 'autosnap_a_daily')).not.toThrow();
    expect(() => requireSnapshot(plan, listing, 'yesterday')).toThrow('no snapshot yesterday of tank/services/media; the snapshots there: autosnap_a_daily, autosnap_b_hourly.');
    expect(() => requireSnapshot(plan, '', 'yesterday')).toThrow('there are no snapshots of it yet');
  });

  it.each([
    ['vm-nope', 'sonarr', 'restore-unknown'],
    ['vm-media', 'nope', 'restore-unknown'],
    ['vm-media', 'node-exporter', 'restore-nothing'],
  ])('refuses %s/%s with %s', (host, service, code) => {
    let error: DeployError | undefined;
    try {
      restorePlan(base, host, service);
    } catch (e) {
      error = e as DeployError;
    }
    expect(error?.code).toBe(code);
    expect(error!.message.length).toBeGreaterThan(30);
  });
});
