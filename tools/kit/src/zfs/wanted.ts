import { datasetFullName, layoutDatasets, type DatasetProperty, type ZfsLayout } from '../model/zfs.js';
import { isInherited } from './properties.js';

/** One dataset as the plan wants it: its full name and the properties set on it (not inherited ones). */
export interface WantedDataset {
  readonly name: string;
  readonly properties: Readonly<Record<string, DatasetProperty>>;
}

/** A folder inside a dataset that deploy creates when missing: its path on the node (the dataset's default mountpoint), owner uid:gid. */
export interface WantedFolder {
  readonly path: string;
  readonly owner: string;
  readonly why: string;
}

/** The datasets the pool should have, parents first: what the zfs-plan artifact holds. */
export interface WantedLayout {
  readonly pool: string;
  readonly datasets: readonly WantedDataset[];
  /** Shared folders inside datasets, created owned by the app user when missing. */
  readonly folders?: readonly WantedFolder[];
}

/** The wanted layout of the lab's pool, from the facts' dataset tree; `appIds` own the shared folders. */
export function wantedLayout(layout: ZfsLayout, appIds?: { readonly uid: number; readonly gid: number }): WantedLayout {
  const folders = appIds
    ? layoutDatasets(layout).flatMap((name) =>
        Object.entries(layout.datasets[name]?.folders ?? {}).map(([folder, why]) => ({ path: `/${datasetFullName(layout.pool, name)}/${folder}`, owner: `${appIds.uid}:${appIds.gid}`, why })),
      )
    : [];
  return {
    pool: layout.pool,
    datasets: layoutDatasets(layout).map((name) => {
      const props = layout.datasets[name]?.properties ?? {};
      return {
        name: datasetFullName(layout.pool, name),
        properties: Object.fromEntries(Object.keys(props).sort().map((p) => [p, props[p]!])),
      };
    }),
    ...(folders.length > 0 ? { folders } : {}),
  };
}

export interface EffectiveProperty {
  readonly value: string;
  /** The dataset that sets it: the dataset itself, or the wanted ancestor it inherits from. */
  readonly from: string;
}

/** What a dataset ends up with: its own properties plus those it inherits from wanted ancestors. */
export function effectiveProperties(wanted: WantedLayout, name: string): Map<string, EffectiveProperty> {
  const byName = new Map(wanted.datasets.map((d) => [d.name, d]));
  const result = new Map<string, EffectiveProperty>();
  const parts = name.split('/');
  for (let i = parts.length; i > 0; i--) {
    const ancestor = parts.slice(0, i).join('/');
    const dataset = byName.get(ancestor);
    if (!dataset) continue;
    for (const [prop, { value }] of Object.entries(dataset.properties)) {
      if (result.has(prop)) continue;
      if (ancestor !== name && !isInherited(prop)) continue;
      result.set(prop, { value, from: ancestor });
    }
  }
  return result;
}

/** Every property name the layout manages, sorted: what `zfs get` is asked for. */
export function managedProperties(wanted: WantedLayout): string[] {
  return [...new Set(wanted.datasets.flatMap((d) => Object.keys(d.properties)))].sort();
}
