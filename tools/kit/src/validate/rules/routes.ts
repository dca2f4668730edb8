import ipaddr from 'ipaddr.js';
import { defineRule, servicePath } from '../rule.js';
import type { Findings } from '../../findings.js';
import { declaredPorts, labRoutes, namespaceOwner, proxyHost } from '../../model/routes.js';

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function accessOk(access: unknown): boolean {
  if (access === 'authenticated') return true;
  const reason = (access as { public?: unknown } | undefined)?.public;
  return typeof reason === 'string' && reason.trim().length >= 10;
}

interface Claim {
  readonly who: string;
  readonly path: string;
  /** The route's host is its own service's name (jellyfin -> jellyfin.<domain>). */
  readonly ownName: boolean;
}

/**
 * One hostname claimed twice: the finding goes to the declaration that is wrong, the route that
 * borrows another service's name, not to the service that owns the name; when that cannot tell
 * them apart, to every claim after the first.
 */
function reportDuplicates(fqdn: string, claims: readonly Claim[], findings: Findings): void {
  if (claims.length < 2) return;
  const owners = claims.filter((c) => c.ownName);
  const keep = owners.length === 1 ? owners[0]! : claims[0]!;
  for (const c of claims) {
    if (c === keep) continue;
    findings.error('route-host-duplicate', c.path, `${fqdn} is routed to both ${keep.who} and ${c.who}; a hostname can reach one service. Rename ${c.who}'s route host${c.ownName ? '' : ' (it borrows another service\'s name)'}.`);
  }
}

/** Routes: unique hostnames, targets that exist and are reachable, auth unless public with a reason. */
export const routesRule = defineRule({
  description: 'Routes: valid unique hostnames, a declared port, a proxy and auth, public only with a reason',
  docs: 'findings.md#across-the-lab',
  codes: ['route-host-invalid', 'route-host-duplicate', 'route-port-undeclared', 'route-unreachable', 'route-public-without-reason', 'route-no-proxy', 'route-no-auth', 'route-address-unknown'],
  check(lab, findings) {
    const proxy = proxyHost(lab);
    const seen = new Map<string, Claim[]>();
    const claim = (fqdn: string, who: string, path: string, ownName: boolean) => {
      seen.set(fqdn, [...(seen.get(fqdn) ?? []), { who, path, ownName }]);
    };
    for (const r of labRoutes(lab)) {
      const path = servicePath(r.host, r.service, 'route');
      if (!LABEL.test(r.route.host)) {
        findings.error('route-host-invalid', `${path}.host`, `"${r.route.host}" is not a DNS label (lowercase letters, digits and '-', at most 63).`);
      }
      claim(r.fqdn, `${r.host.name}/${r.service.name}`, `${path}.host`, r.route.host === r.service.name);
      if (!accessOk(r.route.access)) {
        findings.error('route-public-without-reason', `${path}.access`, `${r.fqdn} is public without a reason; say why it may skip forward auth ({ public: '...' }) or make it 'authenticated'.`);
      }
      const owner = namespaceOwner(r.host, r.service);
      if (!declaredPorts(r.host, r.service).includes(r.route.port)) {
        findings.error('route-port-undeclared', `${path}.port`, `${r.fqdn} forwards to port ${r.route.port}, which ${r.service.name} does not declare (listen: [${(r.service.listen ?? []).join(', ')}]). Point the route at the port the service listens on.`);
      } else if (!r.upstream && proxy && proxy !== r.host) {
        findings.error('route-unreachable', `${path}.port`, `${r.fqdn} forwards to ${r.host.name}:${r.route.port}, but no port of ${owner.name} publishes ${r.route.port} on ${r.host.address}; the reverse proxy on ${proxy.name} cannot reach it. Publish it on ${owner.name}.`);
      }
    }
    const authenticated = labRoutes(lab).filter((r) => r.route.access === 'authenticated');
    if (proxy && authenticated.length > 0 && !lab.hosts.some((h) => h.services.some((s) => s.role === 'auth'))) {
      findings.error('route-no-auth', 'lab/routes', `${authenticated.length} route(s) require forward auth (e.g. ${authenticated[0]!.fqdn}) but no service has role 'auth'; without it the reverse proxy would serve them unauthenticated.`);
    }
    if (!proxy && seen.size > 0) {
      findings.warning('route-no-proxy', 'lab/routes', `${seen.size} route(s) are declared but no service has role 'reverse-proxy'; they lead nowhere until one does.`);
    }
    const plan = lab.facts.network.addresses as Record<string, { address: string }>;
    const known = new Set([...Object.values(plan).map((a) => a.address), ...lab.hosts.map((h) => h.address)]);
    (lab.facts.externalRoutes ?? []).forEach((r, i) => {
      const path = `shared/externalRoutes[${i}]`;
      const fqdn = `${r.host}.${lab.facts.domain}`;
      claim(fqdn, `external route ${i}`, `${path}.host`, false);
      if (!ipaddr.isValid(r.address) || !known.has(r.address)) {
        findings.error('route-address-unknown', `${path}.address`, `${fqdn} forwards to ${r.address}:${r.port}, an address that matches no host or device of the network plan. Route to a service's own declaration, or add the device to the plan.`);
      }
      if (!accessOk(r.access)) findings.error('route-public-without-reason', `${path}.access`, `${fqdn} is public without a reason.`);
    });
    for (const [fqdn, claims] of seen) reportDuplicates(fqdn, claims, findings);
  },
});
