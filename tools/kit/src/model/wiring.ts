import type { HostDef } from './host.js';
import type { Lab } from './lab.js';
import type { ServiceDef, ServiceRole } from './service.js';
import { namespaceOwner, publishedPort } from './routes.js';

/** A service of the lab with the host it runs on. */
export interface Placed {
  readonly host: HostDef;
  readonly service: ServiceDef;
}

/** The first service with `role`, and its host. */
export function findRole(lab: Lab, role: ServiceRole): Placed | undefined {
  for (const host of lab.hosts) {
    const service = host.services.find((s) => s.role === role);
    if (service) return { host, service };
  }
  return undefined;
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

/** Every declared `metrics` endpoint of the lab, as the metrics store reaches it. */
export function scrapeTargets(lab: Lab, from: HostDef): ScrapeTarget[] {
  const targets: ScrapeTarget[] = [];
  for (const host of lab.hosts) {
    for (const service of host.services) {
      if (!service.metrics) continue;
      const at = reach(from, { host, service }, service.metrics.port);
      targets.push({ host, service, path: service.metrics.path ?? '/metrics', ...(at ? { address: `${at.host}:${at.port}` } : {}) });
    }
  }
  return targets;
}

/** The DNS answers the lab needs: every route hostname answers the reverse proxy's host address. */
export function dnsRewrites(lab: Lab): { domain: string; answer: string }[] {
  const proxy = findRole(lab, 'reverse-proxy');
  if (!proxy) return [];
  const names = new Set<string>();
  for (const host of lab.hosts) for (const s of host.services) if (s.route) names.add(`${s.route.host}.${lab.facts.domain}`);
  for (const r of lab.facts.externalRoutes ?? []) names.add(`${r.host}.${lab.facts.domain}`);
  return [...names].sort().map((domain) => ({ domain, answer: proxy.host.address }));
}
