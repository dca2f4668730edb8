import type { Lab } from '../model/lab.js';
import { poolHost } from '../model/proxmox-host.js';
import { replicaName } from '../model/replication.js';
import { describePolicy, formatDuration, policyFor, retentionSeconds, takesSnapshots } from '../model/snapshots.js';
import { datasetFullName, inheritedSetting, layoutDatasets } from '../model/zfs.js';
import { effectiveProperties, wantedLayout } from '../zfs/wanted.js';

export interface DatasetUse {
  readonly host: string;
  /** The service and where it sees the dataset; absent for the host's own mount (storage). */
  readonly service?: string;
  readonly target?: string;
  readonly readOnly?: boolean;
}

export interface DatasetInventoryEntry {
  /** Relative to the pool (services/media) and full (tank/services/media). */
  readonly dataset: string;
  readonly name: string;
  readonly purpose: string;
  /** Properties set on the dataset itself, with their reason. */
  readonly properties: Readonly<Record<string, { value: string; why: string }>>;
  /** Properties it inherits from a dataset above it in the layout. */
  readonly inherited: Readonly<Record<string, { value: string; from: string }>>;
  /** The hosts whose domain it is, and the service roles that may write it (inherited from above). */
  readonly owners?: readonly string[];
  readonly writableBy?: readonly string[];
  readonly snapshots?: { readonly policy: string; readonly from: string; readonly keeps: string; readonly retention: string | undefined };
  readonly replication: readonly { readonly target: string; readonly to: string; readonly every: string }[];
  readonly usedBy: readonly DatasetUse[];
}

export interface DatasetInventory {
  readonly pool: string;
  /** The Proxmox host holding the pool, when the lab has its package. */
  readonly host?: { readonly name: string; readonly address: string };
  readonly datasets: readonly DatasetInventoryEntry[];
}

/** Who uses each dataset (hosts mounting it, services' volumes), in one walk over the lab. */
function datasetUses(lab: Lab): Map<string, DatasetUse[]> {
  const uses = new Map<string, DatasetUse[]>();
  const add = (dataset: string, use: DatasetUse) => {
    const list = uses.get(dataset);
    if (list) list.push(use);
    else uses.set(dataset, [use]);
  };
  for (const host of lab.hosts) {
    const mounted = new Set(host.storage.filter((s) => s.pool === lab.facts.zfs.pool).map((s) => s.name));
    for (const dataset of mounted) add(dataset, { host: host.name });
    for (const service of host.services) {
      for (const v of service.volumes ?? []) {
        if ('dataset' in v) add(v.dataset.name, { host: host.name, service: service.name, target: v.target, ...(v.readOnly ? { readOnly: true } : {}) });
      }
    }
  }
  return uses;
}

/** The dataset tree with its properties, snapshot policy, replication and users: `homelab inventory --datasets`. */
export function datasetInventory(lab: Lab): DatasetInventory {
  const layout = lab.facts.zfs;
  const wanted = wantedLayout(layout);
  const node = poolHost(lab);
  const uses = datasetUses(lab);
  const datasets = layoutDatasets(layout).map((dataset): DatasetInventoryEntry => {
    const spec = layout.datasets[dataset]!;
    const name = datasetFullName(layout.pool, dataset);
    const inherited = Object.fromEntries(
      [...effectiveProperties(wanted, name)].filter(([, p]) => p.from !== name).map(([k, p]) => [k, { value: p.value, from: p.from }]),
    );
    const owners = inheritedSetting(layout, dataset, 'owners');
    const writableBy = inheritedSetting(layout, dataset, 'writableBy');
    const found = node ? policyFor(node.snapshots, dataset) : undefined;
    const replication = (node?.replication ?? []).flatMap((t) =>
      t.datasets.some((r) => r.name === dataset) ? [{ target: t.name, to: `${t.host}:${replicaName(t, layout.pool, dataset)}`, every: t.every }] : [],
    );
    return {
      dataset,
      name,
      purpose: spec.purpose,
      properties: wanted.datasets.find((d) => d.name === name)?.properties ?? {},
      inherited,
      ...(owners ? { owners } : {}),
      ...(writableBy ? { writableBy } : {}),
      ...(found
        ? {
            snapshots: {
              policy: found.policy.name,
              from: found.from,
              keeps: describePolicy(found.policy),
              retention: takesSnapshots(found.policy) ? formatDuration(retentionSeconds(found.policy)) : undefined,
            },
          }
        : {}),
      replication,
      usedBy: uses.get(dataset) ?? [],
    };
  });
  return { pool: layout.pool, ...(node ? { host: { name: node.name, address: node.address } } : {}), datasets };
}

function props(record: Readonly<Record<string, { value: string }>>): string {
  return Object.entries(record)
    .map(([k, v]) => `${k}=${v.value}`)
    .join(' ');
}

/** The inventory as an indented tree, one block per dataset. */
export function formatDatasetInventory(inv: DatasetInventory): string {
  const out = [`${inv.pool}${inv.host ? `  (pool on ${inv.host.name}, ${inv.host.address})` : ''}`];
  for (const d of inv.datasets) {
    const depth = d.dataset.split('/').length;
    const pad = '  '.repeat(depth);
    const leaf = d.dataset.split('/').at(-1);
    out.push(`${pad}${leaf}  - ${d.purpose}`);
    const line = (label: string, text: string) => out.push(`${pad}    ${label.padEnd(12)}${text}`);
    if (Object.keys(d.properties).length) line('properties', props(d.properties));
    if (Object.keys(d.inherited).length) line('inherits', props(d.inherited));
    line('snapshots', d.snapshots ? `${d.snapshots.policy}${d.snapshots.from !== d.dataset ? ` (from ${d.snapshots.from})` : ''}: ${d.snapshots.keeps}${d.snapshots.retention ? `; oldest kept ${d.snapshots.retention}` : ''}` : 'none');
    for (const r of d.replication) line('replicated', `to ${r.target} (${r.to}) every ${r.every}`);
    if (d.owners) line('owners', d.owners.join(', '));
    if (d.writableBy) line('writable by', `roles ${d.writableBy.join(', ')}`);
    const uses = d.usedBy.map((u) => (u.service ? `${u.host}/${u.service} at ${u.target}${u.readOnly ? ' (ro)' : ''}` : `${u.host} (mount)`));
    line('used by', uses.length ? uses.join(', ') : '-');
  }
  return `${out.join('\n')}\n`;
}

