import type { DatasetRef, DatasetSpec, HostDef, Lab, LabFacts, ProxmoxHostDef, ReplicationTarget, ServiceDef, SnapshotPolicy } from '../src/index.js';
import { defineHost, defineLxc, defineService } from '../src/index.js';
import { realLab } from './fixtures.js';

/** The real lab (vm-media and pve): the base every storage example changes one thing of. */
export const base: Lab = realLab;
export const pve: ProxmoxHostDef = realLab.nodes![0]!;
export const offsite: ReplicationTarget = pve.replication![0]!;

export const ref = (name: string, pool = 'tank'): DatasetRef => ({ kind: 'dataset', pool, name });

export function withFacts(lab: Lab, change: (facts: LabFacts) => Partial<LabFacts>): Lab {
  return { ...lab, facts: { ...lab.facts, ...change(lab.facts) } };
}

/** The layout with datasets changed (a value of undefined removes one). */
export function withDatasets(lab: Lab, datasets: Record<string, DatasetSpec | undefined>): Lab {
  return withFacts(lab, (f) => {
    const merged: Record<string, DatasetSpec | undefined> = { ...f.zfs.datasets, ...datasets };
    for (const k of Object.keys(merged)) if (merged[k] === undefined) delete merged[k];
    return { zfs: { ...f.zfs, datasets: merged as Record<string, DatasetSpec> } };
  });
}

export function withProperty(lab: Lab, dataset: string, prop: string, value: string, why = 'a reason long enough'): Lab {
  const spec = lab.facts.zfs.datasets[dataset]!;
  return withDatasets(lab, { [dataset]: { ...spec, properties: { ...spec.properties, [prop]: { value, why } } } });
}

export function withHost(lab: Lab, name: string, change: (host: HostDef) => Partial<HostDef>): Lab {
  return { ...lab, hosts: lab.hosts.map((h) => (h.name === name ? { ...h, ...change(h) } : h)) };
}

export function withService(lab: Lab, host: string, service: string, change: Partial<ServiceDef>): Lab {
  return withHost(lab, host, (h) => ({ services: h.services.map((s) => (s.name === service ? { ...s, ...change } : s)) }));
}

export function withNode(lab: Lab, change: (node: ProxmoxHostDef) => Partial<ProxmoxHostDef>): Lab {
  return { ...lab, nodes: (lab.nodes ?? []).map((n) => ({ ...n, ...change(n) })) };
}

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

/** An LXC container with one service writing services/infra (lxc-dns is in that dataset's domain). */
export function lxcWith(service: Partial<ServiceDef>, lxc: Record<string, unknown> = {}): HostDef {
  const app = defineService({ name: 'app', image: 'adguard/adguardhome:v0.107.63', volumes: [{ dataset: ref('services/infra'), sub: 'adguard', target: '/opt/adguardhome/work' }], ...service } as ServiceDef);
  return { ...defineHost(defineLxc({ name: 'lxc-dns', vmid: 111, address: '192.168.0.11', cores: 1, memoryMiB: 512, diskGiB: 8, storage: [ref('services/infra')] }), { services: [app] }), ...lxc } as HostDef;
}

export function withLxc(lab: Lab, host: HostDef): Lab {
  return { ...lab, hosts: [...lab.hosts, host] };
}
