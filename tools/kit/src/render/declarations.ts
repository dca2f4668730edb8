import type { HostDef } from '../model/host.js';
import type { RouteSpec } from '../model/service.js';
import type { Lab } from '../model/lab.js';
import { daemonsOf } from '../model/daemon.js';
import { isProxmoxHost, labMachines, type Machine } from '../model/proxmox-host.js';
import { oncePer } from '../model/once-per.js';
import { labRoutes, proxyHost, publishedPort, type ResolvedRoute } from '../model/routes.js';
import { findRole } from '../model/wiring.js';
import type { Artifact } from './artifact.js';
import { guestNode } from '../model/placement.js';

/**
 * What a host declares to the other hosts of the lab: the facts their renderers read about it
 * (Traefik routes and AdGuard rewrites from its routes, Prometheus jobs from its metrics, the
 * Proxmox node's firewall and directory mappings from its ports and storage). Nx takes these
 * files as the build inputs of the hosts that render them, so a change that leaves them alone
 * (an image tag) rebuilds the declaring host only.
 */
export const DECLARATIONS_FILE = 'declarations.json';

export interface Declarations {
  readonly host: string;
  readonly kind: string;
  readonly address: string;
  readonly vmid?: number;
  readonly node?: string;
  /** The roles other hosts find here (reverse-proxy, metrics-store, auth, ...). */
  readonly roles: readonly string[];
  readonly routes: readonly { name: string; fqdn: string; service: string; port: number; published?: number; access: RouteSpec['access'] }[];
  readonly dnsNames: readonly string[];
  readonly scrapeTargets: readonly { service: string; port: number; path: string; published?: number }[];
  readonly ports: readonly { service: string; target: string; published?: string; protocol?: string; bind?: string }[];
  readonly mounts: readonly string[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The lab's routes by the host that serves them (once per lab: each host looks its own up). */
const routesByHost = oncePer((lab: Lab): ReadonlyMap<HostDef, readonly ResolvedRoute[]> => {
  const byHost = new Map<HostDef, ResolvedRoute[]>();
  for (const r of labRoutes(lab)) {
    const mine = byHost.get(r.host) ?? [];
    mine.push(r);
    byHost.set(r.host, mine);
  }
  return byHost;
});

/** The host's declarations, sorted where order carries no meaning: same source, same bytes. */
export function hostDeclarations(lab: Lab, host: HostDef): Declarations {
  const routes = (routesByHost(lab).get(host) ?? [])
    .map((r) => ({ name: r.route.host, fqdn: r.fqdn, service: r.service.name, port: r.route.port, published: r.upstream?.port, access: r.route.access }))
    .sort((a, b) => byText(a.name, b.name));
  const scrapeTargets = host.services
    .filter((s) => s.metrics)
    .map((s) => ({ service: s.name, port: s.metrics!.port, path: s.metrics!.path ?? '/metrics', published: publishedPort(host, s, s.metrics!.port) }))
    .sort((a, b) => byText(a.service, b.service));
  const ports = host.services
    .flatMap((s) => (s.ports ?? []).map((p) => ({ service: s.name, target: String(p.target), published: p.published === undefined ? undefined : String(p.published), protocol: p.protocol, bind: p.bind })))
    .sort((a, b) => byText(`${a.service}/${a.target}/${a.published}`, `${b.service}/${b.target}/${b.published}`));
  return {
    host: host.name,
    kind: host.kind,
    address: host.address,
    vmid: host.vmid,
    node: guestNode(lab.facts, host),
    roles: [...new Set(host.services.flatMap((s) => (s.role === undefined ? [] : [s.role])))].sort(byText),
    routes,
    dnsNames: [...new Set(routes.map((r) => r.fqdn))].sort(byText),
    scrapeTargets,
    ports,
    mounts: host.storage.map((d) => d.name).sort(byText),
  };
}

/** declarations.json of a guest; none for a Proxmox host (nothing renders from it). */
export function renderDeclarations(lab: Lab, host: Machine): Artifact[] {
  if (isProxmoxHost(host)) return [];
  return [{ path: DECLARATIONS_FILE, kind: 'declarations', content: `${JSON.stringify(hostDeclarations(lab, host), null, 2)}\n` }];
}

/**
 * Which hosts render which other hosts' declarations: reader -> declaring hosts, both sorted.
 * The reverse proxy and every AdGuard host read routes (and the roles they point at); the metrics
 * store reads scrape targets; a Proxmox node reads its guests' ports and storage. The Nx plugin
 * turns this into the project graph's edges, so the graph follows the lab, not a hand-kept list.
 */
export function declarationReaders(lab: Lab): Map<string, string[]> {
  const readers = new Map<string, Set<string>>();
  const add = (reader: Machine | undefined, declaring: HostDef) => {
    if (!reader || reader.name === declaring.name) return;
    const set = readers.get(reader.name) ?? new Set<string>();
    set.add(declaring.name);
    readers.set(reader.name, set);
  };
  const routeReaders = [proxyHost(lab), ...lab.hosts.filter((h) => daemonsOf(h, 'adguard').length > 0)];
  const store = findRole(lab, 'metrics-store')?.host;
  const nodes = labMachines(lab).filter(isProxmoxHost);
  for (const host of lab.hosts) {
    const d = hostDeclarations(lab, host);
    if (d.routes.length > 0 || d.roles.length > 0) for (const r of routeReaders) add(r, host);
    if (d.scrapeTargets.length > 0) add(store, host);
    add(nodes.find((n) => n.node === d.node), host);
  }
  return new Map([...readers].sort(([a], [b]) => byText(a, b)).map(([r, set]) => [r, [...set].sort(byText)]));
}
