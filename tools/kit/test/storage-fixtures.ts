import type { DatasetRef, DatasetSpec, HostDef, Lab, ProxmoxHostDef, ReplicationTarget, ServiceDef, SnapshotPolicy } from '../src/internal.js';
import { defineHost, defineLxc, defineService } from '../src/index.js';
import { realLab } from './fixtures.js';
import { withFacts } from './mutate.js';

/** The real lab (its guests and pve): the base every storage example changes one thing of. */
export const base: Lab = realLab;
export const pve: ProxmoxHostDef = realLab.nodes![0]!;
export const offsite: ReplicationTarget = pve.replication![0]!;

export const ref = (name: string, pool = 'tank'): DatasetRef => ({ kind: 'dataset', pool, name });

/** The layout with datasets added or changed. */
export function withDatasets(lab: Lab, datasets: Record<string, DatasetSpec>): Lab {
  return withFacts(lab, (f) => ({ ...f, zfs: { ...f.zfs, datasets: { ...f.zfs.datasets, ...datasets } } }));
}

export function withProperty(lab: Lab, dataset: string, prop: string, value: string, why = 'a reason long enough'): Lab {
  const spec = lab.facts.zfs.datasets[dataset]!;
  return withDatasets(lab, { [dataset]: { ...spec, properties: { ...spec.properties, [prop]: { value, why } } } });
}

/** The lab with its Proxmox host changed. */
export function withNode(lab: Lab, change: (node: ProxmoxHostDef) => Partial<ProxmoxHostDef>): Lab {
  return { ...lab, nodes: (lab.nodes ?? []).map((n) => ({ ...n, ...change(n) })) };
}

/** A snapshot policy assigned to a dataset, or the assignment removed. */
export function withPolicy(lab: Lab, dataset: string, policy: SnapshotPolicy | undefined): Lab {
  return withNode(lab, (n) => {
    const snapshots: Record<string, SnapshotPolicy | undefined> = { ...n.snapshots, [dataset]: policy };
    if (!policy) delete snapshots[dataset];
    return { snapshots };
  });
}

export function withTarget(lab: Lab, change: Partial<ReplicationTarget>): Lab {
  return withNode(lab, (n) => ({ replication: [{ ...n.replication![0]!, ...change }] }));
}

/** A bare LXC container with one download service writing media/library, the library radarr on vm-media writes as 1000:1000. */
export function lxcWith(service: Partial<ServiceDef>, lxc: Record<string, unknown> = {}): HostDef {
  const app = defineService({ name: 'app', image: 'lscr.io/linuxserver/radarr:6.2.1.10461-ls308', imageFacts: { user: '0:0', ships: ['curl'], source: 'https://github.com/linuxserver/docker-radarr/blob/master/Dockerfile' }, role: 'download', volumes: [{ dataset: ref('media/library'), target: '/data' }], ...service } as ServiceDef);
  const guest = defineLxc({ name: 'lxc-test', vmid: 119, address: '192.168.0.13', cores: 1, memoryMiB: 512, diskGiB: 8, storage: [ref('media/library')] } as never);
  return { ...defineHost(guest, { services: [app] }), ...lxc } as HostDef;
}

export function withLxc(lab: Lab, host: HostDef): Lab {
  return { ...lab, hosts: [...lab.hosts, host] };
}
