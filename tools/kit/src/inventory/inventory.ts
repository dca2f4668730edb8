import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import type { ServiceDef } from '../model/service.js';
import { portBindAddress } from '../model/service-facts.js';
import { guestNode } from '../model/placement.js';
import { namespaceOf, runsOnKubernetes } from '../model/kubernetes.js';

export interface InventoryRoute {
  /** https://<host>.<domain> */
  readonly url: string;
  /** The service's port the reverse proxy forwards to. */
  readonly port: number;
  readonly access: 'authenticated' | 'public';
  /** Why a public route is public. */
  readonly reason?: string;
}

export interface InventoryService {
  readonly name: string;
  readonly image: string;
  readonly role?: string;
  /** What the host publishes for it: `address:published->target/protocol` (`*` for every address). */
  readonly ports: readonly string[];
  /** Host ports it hands to containers it starts itself (game servers). */
  readonly allocations: readonly string[];
  readonly route?: InventoryRoute;
  /** Set when the host's k3s cluster runs it rather than its compose stack. */
  readonly runtime?: 'kubernetes';
}

export interface InventoryHost {
  readonly name: string;
  readonly kind: string;
  readonly vmid: number;
  readonly node: string;
  readonly address: string;
  readonly cores: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  /** The datasets the host mounts, by their ZFS name. */
  readonly datasets: readonly string[];
  readonly services: readonly InventoryService[];
  /** What the guest's own init system runs (an LXC's AdGuard, Tailscale, Samba, NFS exports). */
  readonly daemons: readonly { readonly name: string; readonly kind: string }[];
  /** The host's Kubernetes cluster, when it has one. */
  readonly kubernetes?: { readonly distribution: string; readonly version: string; readonly namespace: string };
}

export interface Inventory {
  readonly lab: string;
  readonly domain: string;
  readonly hosts: readonly InventoryHost[];
  /** What the guests ask of the Proxmox nodes together. */
  readonly totals: { readonly cores: number; readonly memoryMiB: number; readonly diskGiB: number };
}

function portLine(host: HostDef, port: NonNullable<ServiceDef['ports']>[number]): string {
  return `${portBindAddress(host, port) ?? '*'}:${port.published ?? port.target}->${port.target}/${port.protocol ?? 'tcp'}`;
}

function service(lab: Lab, host: HostDef, s: ServiceDef): InventoryService {
  const route = s.route && {
    url: `https://${s.route.host}.${lab.facts.domain}`,
    port: s.route.port,
    ...(s.route.access === 'authenticated' ? { access: 'authenticated' as const } : { access: 'public' as const, reason: s.route.access.public }),
  };
  return {
    name: s.name,
    image: s.image,
    ...(s.role ? { role: s.role } : {}),
    // A host-network service publishes nothing: it answers on every address of the host.
    ports: s.networkMode === 'host' ? (s.listen ?? []).map((p) => `*:${p}->${p}/tcp`) : (s.ports ?? []).map((p) => portLine(host, p)),
    allocations: (s.allocations ?? []).map((p) => portLine(host, p)),
    ...(route ? { route } : {}),
    ...(runsOnKubernetes(s) ? { runtime: 'kubernetes' as const } : {}),
  };
}

/** Every host of the lab with its Proxmox id, address, size, datasets, services and daemons; sorted, so it diffs well. */
export function labInventory(lab: Lab): Inventory {
  const hosts = [...lab.hosts]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((host) => ({
      name: host.name,
      kind: host.kind,
      vmid: host.vmid,
      node: guestNode(lab.facts, host),
      address: host.address,
      cores: host.cores,
      memoryMiB: host.memoryMiB,
      diskGiB: host.diskGiB,
      datasets: host.storage.map((d) => `${d.pool}/${d.name}`),
      services: [...host.services].sort((a, b) => a.name.localeCompare(b.name)).map((s) => service(lab, host, s)),
      daemons: (host.daemons ?? []).map((d) => ({ name: d.name, kind: d.kind })).sort((a, b) => a.name.localeCompare(b.name)),
      ...(host.kubernetes ? { kubernetes: { distribution: host.kubernetes.distribution, version: host.kubernetes.version, namespace: namespaceOf(host.kubernetes) } } : {}),
    }));
  const sum = (pick: (h: InventoryHost) => number) => hosts.reduce((n, h) => n + pick(h), 0);
  return {
    lab: lab.facts.name,
    domain: lab.facts.domain,
    hosts,
    totals: { cores: sum((h) => h.cores), memoryMiB: sum((h) => h.memoryMiB), diskGiB: sum((h) => h.diskGiB) },
  };
}
