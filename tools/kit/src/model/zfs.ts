/** The ZFS pool and its dataset tree. Datasets are named relative to the pool. */
export interface DatasetSpec {
  /** What lives here, one line. */
  readonly purpose: string;
  /** Hosts whose domain this dataset is; another host may mount it read-only only. Inherited by children. */
  readonly owners?: readonly string[];
  /** Service roles that may mount it read-write (e.g. media libraries: the download role); others read-only. Inherited. */
  readonly writableBy?: readonly string[];
  /** ZFS properties wanted on this dataset, each with its reason. */
  readonly properties?: Readonly<Record<string, { readonly value: string; readonly why: string }>>;
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

/** True when `name` is `ancestor` or lies below it. */
export function isWithinDataset(name: string, ancestor: string): boolean {
  return name === ancestor || name.startsWith(`${ancestor}/`);
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
