import { defineRule, servicePath } from '../rule.js';
import { inheritedSetting, type ZfsLayout } from '../../model/zfs.js';
import type { HostDef } from '../../model/host.js';
import type { ServiceDef, VolumeSpec } from '../../model/service.js';

type DatasetMount = Extract<VolumeSpec, { dataset: unknown }>;
interface Mount { readonly volume: DatasetMount; readonly index: number }

const DOWNLOADERS = new Set(['download', 'indexer']);

/** A service's writable dataset mounts, with their index in `volumes`. */
function writableMounts(service: ServiceDef): Mount[] {
  return (service.volumes ?? []).flatMap((volume, index) =>
    'dataset' in volume && !volume.readOnly ? [{ volume, index }] : [],
  );
}

/** One of the two folders holds the other (no `sub` is the whole dataset). */
function overlaps(a: DatasetMount, b: DatasetMount): boolean {
  if (a.dataset.name !== b.dataset.name) return false;
  const [x, y] = [a.sub ?? '', b.sub ?? ''].map((s) => (s === '' ? '' : `${s.replace(/\/+$/, '')}/`));
  return x!.startsWith(y!) || y!.startsWith(x!);
}

/** A library: a dataset the download roles fill (`writableBy` lists `download`). */
function isLibrary(zfs: ZfsLayout, mount: Mount): boolean {
  return (inheritedSetting(zfs, mount.volume.dataset.name, 'writableBy') ?? []).includes('download');
}

/** Where it is: the dataset, and the folder in it. */
function where(zfs: ZfsLayout, m: DatasetMount): string {
  return `${zfs.pool}/${m.dataset.name}${m.sub ? `/${m.sub}` : ''} at ${m.target}`;
}

/**
 * An *arr (role `download` or `indexer`) moves what the download client finished into its library.
 * That is a hardlink or an atomic rename only when both paths are one filesystem seen through one
 * mount: across datasets (and across the VM's virtiofs shares, one per dataset) or across two bind
 * mounts of one dataset, link(2) and rename(2) fail with EXDEV and every import is a full copy
 * (TRaSH guides, "Hardlinks and instant moves"). The download path is a writable mount the *arr
 * shares with another download-role service of its host (the client, the other *arrs); the
 * library is a writable mount of a dataset the download roles fill (`writableBy`). The finding is
 * at each download path that is not the library's own mount.
 */
export const arrPathsRule = defineRule({
  description: 'An *arr sees the download client\'s finished folder at the same path, on the same dataset',
  docs: 'findings.md#across-the-lab',
  codes: ['arr-paths-not-one-filesystem'],
  check(lab, findings) {
    const zfs = lab.facts.zfs;
    for (const host of lab.hosts) {
      const arrs = host.services.filter((s) => s.role !== undefined && DOWNLOADERS.has(s.role));
      for (const service of arrs) check(host, service, arrs);
    }

    function check(host: HostDef, service: ServiceDef, arrs: readonly ServiceDef[]): void {
      const mine = writableMounts(service);
      const others = arrs.filter((s) => s !== service).flatMap(writableMounts);
      const downloads = mine.filter((m) => others.some((o) => overlaps(m.volume, o.volume)));
      // A library that is not also a download path names the mistake best.
      const libraries = mine.filter((m) => isLibrary(zfs, m)).sort((a, b) => Number(downloads.includes(a)) - Number(downloads.includes(b)));
      const library = libraries[0];
      if (!library) return;
      for (const download of downloads.filter((d) => d.index !== library.index)) {
        const sameDataset = download.volume.dataset.name === library.volume.dataset.name;
        const why = sameDataset
          ? 'are two mounts of one dataset: link(2) and rename(2) across two bind mounts fail with EXDEV, so every import is a full copy'
          : 'are on different datasets, different filesystems: every import is a full copy (double the space until the torrent is removed) instead of a hardlink';
        findings.error(
          'arr-paths-not-one-filesystem',
          servicePath(host, service, `volumes[${download.index}]`),
          `${service.name}'s download path (${where(zfs, download.volume)}) and its library (${where(zfs, library.volume)}) ${why}. Put downloads and libraries in one dataset and mount it once, at the same path in the *arrs and the download client (e.g. /data, with /data/torrents and /data/movies; docs/storage.md).`,
        );
      }
    }
  },
});
