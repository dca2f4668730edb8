import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { proxmoxDatasetPath } from '../model/lxc.js';
import { serviceName, type ServiceDef } from '../model/service.js';
import { datasetFullName, datasetSubtree } from '../model/zfs.js';
import { DeployError } from '../common/errors.js';
import { commandLine, quote } from '../shell/quote.js';

/** One folder of a dataset a service writes, copied back from a snapshot on the Proxmox node. */
export interface RestoreFolder {
  /** The dataset, relative to the pool (services/media), and its full name (tank/services/media). */
  readonly dataset: string;
  readonly fullName: string;
  readonly sub: string;
  /** The live folder on the node, and the snapshot's view of it. */
  readonly path: string;
  snapshotPath(snapshot: string): string;
  /** Child datasets below the folder: their own mounts, absent from this snapshot, never touched. */
  readonly excludes: readonly string[];
}

export interface RestorePlan {
  readonly host: HostDef;
  readonly service: ServiceDef;
  readonly folders: readonly RestoreFolder[];
  /** The services whose folders come back: the service, then the databases it depends on. */
  readonly restored: readonly string[];
  /** The services stopped while the folders are copied: the service and every other one of the host that mounts one of them. */
  readonly stop: readonly string[];
}

const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * The databases a service keeps its state in: the services of its host it depends on with role
 * `database`. Nextcloud's and Immich's files and their database rows describe each other, and
 * upstream restores them from one moment (docs/services.md), so they come back together.
 */
function databasesOf(host: HostDef, service: ServiceDef): ServiceDef[] {
  const names = new Set((service.dependsOn ?? []).map((d) => serviceName(d.service)));
  return host.services.filter((s) => s !== service && s.role === 'database' && names.has(s.name));
}

/**
 * What `homelab restore <host>/<service>` touches: the folders (`dataset` + `sub`) the service
 * mounts read-write, and those of the databases it depends on (a database restored by itself
 * stays alone). Whole datasets a service mounts without `sub` (the media libraries, the
 * downloads) are shared with other services and hosts: a service restore never rewinds them.
 */
export function restorePlan(lab: Lab, hostName: string, serviceName: string): RestorePlan {
  const host = lab.hosts.find((h) => h.name === hostName);
  if (!host) throw new DeployError('restore-unknown', `no host is named ${hostName}; the lab's hosts: ${lab.hosts.map((h) => h.name).sort().join(', ')}.`);
  const service = host.services.find((s) => s.name === serviceName);
  if (!service) throw new DeployError('restore-unknown', `${hostName} has no service ${serviceName}; its services: ${host.services.map((s) => s.name).sort().join(', ')}.`);
  const zfs = lab.facts.zfs;
  const folders: RestoreFolder[] = [];
  const restored = [service, ...databasesOf(host, service)];
  for (const v of restored.flatMap((s) => s.volumes ?? [])) {
    if (!('dataset' in v) || v.sub === undefined || v.readOnly) continue;
    const dataset = v.dataset.name;
    const path = proxmoxDatasetPath(zfs, dataset, v.sub);
    const below = `${dataset}/${v.sub}/`;
    const excludes = datasetSubtree(zfs, dataset)
      .filter((d) => d.startsWith(below))
      .map((d) => `/${d.slice(below.length)}`);
    if (folders.some((f) => f.path === path)) continue;
    folders.push({
      dataset,
      fullName: datasetFullName(zfs.pool, dataset),
      sub: v.sub,
      path,
      snapshotPath: (snapshot) => `${proxmoxDatasetPath(zfs, dataset)}/.zfs/snapshot/${snapshot}/${v.sub}`,
      excludes,
    });
  }
  if (folders.length === 0) {
    throw new DeployError('restore-nothing', `${hostName}/${serviceName} writes no folder of a dataset (a volume with dataset and sub); there is nothing a snapshot could give back.`);
  }
  const stop = host.services
    .filter((s) => (s.volumes ?? []).some((v) => 'dataset' in v && folders.some((f) => f.dataset === v.dataset.name && (v.sub === undefined || overlaps(v.sub, f.sub)))))
    .map((s) => s.name)
    .sort();
  return { host, service, folders, restored: restored.map((s) => s.name), stop };
}

/** The snapshots of each dataset, oldest first: `zfs list` of snapshots, one level deep. */
export function snapshotListScript(plan: RestorePlan): string {
  const datasets = [...new Set(plan.folders.map((f) => f.fullName))];
  return commandLine(['zfs', 'list', '-H', '-p', '-t', 'snapshot', '-o', 'name', '-s', 'creation', '-d', '1', ...datasets]);
}

/** The snapshot names (after '@') every restored dataset has, in the order of the first. */
export function commonSnapshots(plan: RestorePlan, listing: string): string[] {
  const byDataset = new Map<string, string[]>();
  for (const line of listing.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const [dataset, name] = line.split('@');
    if (dataset && name) byDataset.set(dataset, [...(byDataset.get(dataset) ?? []), name]);
  }
  const datasets = [...new Set(plan.folders.map((f) => f.fullName))];
  const [first, ...rest] = datasets.map((d) => byDataset.get(d) ?? []);
  return (first ?? []).filter((name) => rest.every((names) => names.includes(name)));
}

/** Fails, saying why, when the snapshot's view of the folder is not there. */
export function snapshotCheckScript(folder: RestoreFolder, snapshot: string): string {
  const from = folder.snapshotPath(snapshot);
  return `[ -d ${quote(from)} ] || { echo ${quote(`${from} is not there: the snapshot has no folder ${folder.sub}, or the pool shows no .zfs/snapshot directory (zfs-fuse has none)`)} >&2; exit 1; }`;
}

/** Refuses a snapshot name that not every restored dataset has, listing the ones they do. */
export function requireSnapshot(plan: RestorePlan, listing: string, snapshot: string): void {
  const available = commonSnapshots(plan, listing);
  if (available.includes(snapshot)) return;
  const datasets = [...new Set(plan.folders.map((f) => f.fullName))].join(', ');
  throw new DeployError('restore-snapshot-unknown', `no snapshot ${snapshot} of ${datasets}; ${available.length ? `the snapshots there: ${available.join(', ')}` : 'there are no snapshots of it yet'}.`);
}

/**
 * Copies one folder back from the snapshot: rsync -a (owners, modes, times, links) --delete
 * (files made since the snapshot go) -H -A -X (hard links, ACLs, extended attributes), child
 * datasets excluded (they are their own mounts; the snapshot shows them empty). The snapshot's
 * folder is checked first: a pool without a .zfs/snapshot directory (zfs-fuse) fails here, not
 * halfway.
 */
export function rsyncScript(folder: RestoreFolder, snapshot: string): string {
  const from = folder.snapshotPath(snapshot);
  return [
    snapshotCheckScript(folder, snapshot),
    commandLine(['mkdir', '-p', folder.path]),
    commandLine(['rsync', '-aHAX', '--delete', ...folder.excludes.map((e) => `--exclude=${e}`), `${from}/`, `${folder.path}/`]),
  ].join('\n');
}
