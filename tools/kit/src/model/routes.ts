import type { HostDef } from './host.js';
import type { Lab } from './lab.js';
import type { RouteSpec, ServiceDef } from './service.js';
import { serviceName } from './service.js';
import { oncePer } from './once-per.js';

/** A route of the lab, resolved: who offers it, its full hostname, and where the proxy forwards. */
export interface ResolvedRoute {
  readonly host: HostDef;
  readonly service: ServiceDef;
  readonly route: RouteSpec;
  readonly fqdn: string;
  /** Every name it answers to: `fqdn`, then the same host under the route domain (`routeNames`). */
  readonly names: readonly string[];
  /** The address and port the reverse proxy reaches it at; undefined when nothing publishes the port. */
  readonly upstream?: { readonly address: string; readonly port: number };
}

/** A host's services by name (the first of each name, as a search of the list finds it). */
const servicesByName = oncePer((host: HostDef): ReadonlyMap<string, ServiceDef> => {
  const byName = new Map<string, ServiceDef>();
  for (const s of host.services) if (!byName.has(s.name)) byName.set(s.name, s);
  return byName;
});

/** The Traefik entry point every derived router is on (the HTTPS port, 443). */
export const ROUTES_ENTRY_POINT = 'websecure';

/** The service whose network namespace `service` lives in (itself, unless it joins another's). */
export function namespaceOwner(host: HostDef, service: ServiceDef): ServiceDef {
  const mode = service.networkMode;
  if (mode === undefined || typeof mode === 'string' || !('service' in mode)) return service;
  return servicesByName(host).get(serviceName(mode.service)) ?? service;
}

/** The ports a service says it serves on: what it listens on, and, owning its namespace, its published targets. */
export function declaredPorts(host: HostDef, service: ServiceDef): number[] {
  const own = namespaceOwner(host, service) === service ? (service.ports ?? []).map((p) => Number(p.target)) : [];
  return [...(service.listen ?? []), ...own];
}

/** The host port on which `port` of the service's namespace is published (LAN or every address). */
export function publishedPort(host: HostDef, service: ServiceDef, port: number): number | undefined {
  const owner = namespaceOwner(host, service);
  for (const p of owner.ports ?? []) {
    if ((p.bind ?? 'lan') === 'loopback') continue;
    if (String(p.target) === String(port)) return Number(p.published ?? p.target);
  }
  return undefined;
}

/** The host that runs the lab's reverse proxy (the service with role `reverse-proxy`). */
export const proxyHost = oncePer((lab: Lab): HostDef | undefined => lab.hosts.find((h) => h.services.some((s) => s.role === 'reverse-proxy')));

export function routeFqdn(lab: Lab, route: { host: string }): string {
  return `${route.host}.${lab.facts.domain}`;
}

/** The default second domain of every route: RFC 8375's, which every resolver sends to DNS. */
export const DEFAULT_ROUTE_DOMAIN = 'home.arpa';

export function routeDomain(lab: Lab): string {
  return lab.facts.routeDomain ?? DEFAULT_ROUTE_DOMAIN;
}

/** Every name a route answers to: `<host>.<domain>` (the seed's), and `<host>.<routeDomain>` when it differs. */
export function routeNames(lab: Lab, route: { host: string }): string[] {
  return [...new Set([routeFqdn(lab, route), `${route.host}.${routeDomain(lab)}`])];
}

/** Every route the services declare, sorted by hostname (computed once per lab). */
export const labRoutes = oncePer((lab: Lab): readonly ResolvedRoute[] => {
  const routes: ResolvedRoute[] = [];
  for (const host of lab.hosts) {
    for (const service of host.services) {
      if (!service.route) continue;
      const port = publishedPort(host, service, service.route.port);
      routes.push({
        host,
        service,
        route: service.route,
        fqdn: routeFqdn(lab, service.route),
        names: routeNames(lab, service.route),
        ...(port === undefined ? {} : { upstream: { address: host.address, port } }),
      });
    }
  }
  return routes.sort((a, b) => a.fqdn.localeCompare(b.fqdn));
});
