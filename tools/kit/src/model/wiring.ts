import type { HostDef } from './host.js';
import type { Lab } from './lab.js';
import type { ServiceDef, ServiceRole } from './service.js';
import { labRoutes, namespaceOwner, publishedPort, routeNames } from './routes.js';
import { oncePer } from './once-per.js';

/** A service of the lab with the host it runs on. */
export interface Placed {
  readonly host: HostDef;
  readonly service: ServiceDef;
}

/** The first service with each role, and its host, in host order: one walk per lab. */
const roles = oncePer((lab: Lab): ReadonlyMap<ServiceRole, Placed> => {
  const byRole = new Map<ServiceRole, Placed>();
  for (const host of lab.hosts) {
    for (const service of host.services) if (service.role !== undefined && !byRole.has(service.role)) byRole.set(service.role, { host, service });
  }
  return byRole;
});

/** The first service with `role`, and its host. */
export function findRole(lab: Lab, role: ServiceRole): Placed | undefined {
  return roles(lab).get(role);
}

/**
 * How a client on `from` reaches `port` of a service: by the compose service name on the same
 * host, by the host's address and published port from another one (undefined when unpublished).
 */
export function reach(from: HostDef, to: Placed, port: number): { host: string; port: number } | undefined {
  if (to.service.networkMode === 'host') return { host: to.host.address, port };
  if (from === to.host) return { host: namespaceOwner(to.host, to.service).name, port };
  const published = publishedPort(to.host, to.service, port);
  return published === undefined ? undefined : { host: to.host.address, port: published };
}

/** A scrape target: one declared metrics endpoint, reached from the metrics store's host. */
export interface ScrapeTarget extends Placed {
  readonly address?: string;
  readonly path: string;
}

/** Every service that declares a `metrics` endpoint, in host order. */
export const metricsServices = oncePer((lab: Lab): readonly Placed[] =>
  lab.hosts.flatMap((host) => host.services.filter((s) => s.metrics).map((service) => ({ host, service }))),
);

/** Every declared `metrics` endpoint of the lab, as the metrics store reaches it. */
export function scrapeTargets(lab: Lab, from: HostDef): ScrapeTarget[] {
  return metricsServices(lab).map(({ host, service }) => {
    const metrics = service.metrics!;
    const at = reach(from, { host, service }, metrics.port);
    return { host, service, path: metrics.path ?? '/metrics', ...(at ? { address: `${at.host}:${at.port}` } : {}) };
  });
}

/** The DNS answers the lab needs: every route hostname answers the reverse proxy's host address. */
export const dnsRewrites = oncePer((lab: Lab): readonly { readonly domain: string; readonly answer: string }[] => {
  const proxy = findRole(lab, 'reverse-proxy');
  if (!proxy) return [];
  const names = new Set<string>();
  for (const r of labRoutes(lab)) for (const n of r.names) names.add(n);
  for (const r of lab.facts.externalRoutes ?? []) for (const n of routeNames(lab, r)) names.add(n);
  return [...names].sort().map((domain) => ({ domain, answer: proxy.host.address }));
});
