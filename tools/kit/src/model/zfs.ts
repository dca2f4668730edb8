/** A ZFS property wanted on a dataset, with the reason it has this value. */
export interface DatasetProperty {
  readonly value: string;
  readonly why: string;
}

/** The ZFS pool and its dataset tree. Datasets are named relative to the pool. */
export interface DatasetSpec {
  /** What lives here, one line. */
  readonly purpose: string;
  /** Hosts whose domain this dataset is; another host may mount it read-only only. Inherited by children. */
  readonly owners?: readonly string[];
  /** Service roles that may mount it read-write (e.g. media libraries: the download role); others read-only. Inherited. */
  readonly writableBy?: readonly string[];
  /** ZFS properties wanted on this dataset, each with its reason; children inherit them. */
  readonly properties?: Readonly<Record<string, DatasetProperty>>;
  /**
   * Sent offsite by replication, with the reason (what could not be had again). Not inherited:
   * syncoid sends each dataset on its own. The docs' dataset table and the replication target
   * both read this one flag, so they cannot disagree (rule `backup-not-replicated`).
   */
  readonly backup?: { readonly offsite: true; readonly why: string };
  /**
   * Folders inside the dataset that more than one host or container writes (media/library's
   * movies/, shows/, torrents/), each with its reason: deploy of the Proxmox host creates each
   * that is missing, owned by the lab's app user, so the first writer is not whoever comes first
   * as root. An existing folder is left as it is.
   */
  readonly folders?: Readonly<Record<string, string>>;
}

export interface ZfsLayout<D extends string = string> {
  readonly pool: string;
  /** Where a guest sees the pool's datasets (tank/services/media -> <mountRoot>/services/media). */
  readonly mountRoot: string;
  readonly datasets: Readonly<Record<D, DatasetSpec>>;
}

/** A typed reference to one dataset of the layout. */
export interface DatasetRef<D extends string = string> {
  readonly kind: 'dataset';
  readonly pool: string;
  readonly name: D;
}

export function defineZfsLayout<const D extends string>(
  layout: ZfsLayout<D>,
): ZfsLayout<D> & { dataset(name: D): DatasetRef<D> } {
  return {
    ...layout,
    dataset(name: D): DatasetRef<D> {
      return { kind: 'dataset', pool: layout.pool, name };
    },
  };
}

/** The datasets the layout marks `backup` (sent offsite), in layout order. */
export function backedUpDatasets<D extends string>(layout: ZfsLayout<D>): DatasetRef<D>[] {
  const datasets = layout.datasets as Readonly<Record<string, DatasetSpec>>;
  return layoutDatasets(layout)
    .filter((name) => datasets[name]?.backup)
    .map((name) => ({ kind: 'dataset', pool: layout.pool, name: name as D }));
}

/** True when `name` is `ancestor` or lies below it. */
export function isWithinDataset(name: string, ancestor: string): boolean {
  return name === ancestor || name.startsWith(`${ancestor}/`);
}

/** `tank` + `services/media` -> `tank/services/media`, the name `zfs` knows it by. */
export function datasetFullName(pool: string, name: string): string {
  return name === '' ? pool : `${pool}/${name}`;
}

/** The datasets of the layout, parents before children (each level sorted by name). */
export function layoutDatasets(layout: ZfsLayout): string[] {
  return Object.keys(layout.datasets).sort((a, b) => {
    const pa = a.split('/');
    const pb = b.split('/');
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      if (pa[i] !== pb[i]) return pa[i]!.localeCompare(pb[i]!);
    }
    return pa.length - pb.length;
  });
}

/** `name` and its ancestors in the layout, nearest first (services/media, services). */
export function datasetLineage(name: string): string[] {
  const parts = name.split('/');
  return parts.map((_, i) => parts.slice(0, parts.length - i).join('/'));
}

/** The layout's datasets at or below `name`. */
export function datasetSubtree(layout: ZfsLayout, name: string): string[] {
  return layoutDatasets(layout).filter((d) => isWithinDataset(d, name));
}

/** The nearest setting of `key` on the dataset or its ancestors. */
export function inheritedSetting<K extends 'owners' | 'writableBy'>(layout: ZfsLayout, name: string, key: K): DatasetSpec[K] {
  const datasets = layout.datasets as Readonly<Record<string, DatasetSpec>>;
  for (let n: string | undefined = name; n; n = n.includes('/') ? n.slice(0, n.lastIndexOf('/')) : undefined) {
    const value = datasets[n]?.[key];
    if (value !== undefined) return value;
  }
  return undefined;
}
