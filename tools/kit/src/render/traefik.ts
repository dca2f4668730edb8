import type { Lab } from '../model/lab.js';
import type { HostDef } from '../model/host.js';
import { labRoutes, routeNames, ROUTES_ENTRY_POINT } from '../model/routes.js';
import { findRole, reach } from '../model/wiring.js';
import type { Artifact } from './artifact.js';
import { toYaml } from './yaml.js';
import { routerTls, traefikTls } from './traefik-tls.js';
import { tlsMode } from '../model/tls.js';

/** Where the file provider reads the routes the lab derives (the reverse proxy mounts this folder). */
export const TRAEFIK_DYNAMIC_DIR = 'traefik/dynamic';
const OUTPOST_PATH = '/outpost.goauthentik.io';
/** The headers Authentik's forward auth answers with (Authentik docs: proxy provider, Traefik). */
const AUTH_RESPONSE_HEADERS = [
  'X-authentik-username',
  'X-authentik-groups',
  'X-authentik-entitlements',
  'X-authentik-email',
  'X-authentik-name',
  'X-authentik-uid',
  'X-authentik-jwt',
  'X-authentik-meta-jwks',
  'X-authentik-meta-outpost',
  'X-authentik-meta-provider',
  'X-authentik-meta-app',
  'X-authentik-meta-version',
];

interface Entry {
  name: string;
  names: readonly string[];
  url: string;
  authenticated: boolean;
  insecure?: boolean;
}

function entries(lab: Lab, proxy: HostDef): Entry[] {
  const out: Entry[] = [];
  for (const r of labRoutes(lab)) {
    const at = reach(proxy, { host: r.host, service: r.service }, r.route.port);
    if (!at) continue; // reported as route-unreachable
    out.push({ name: r.route.host, names: r.names, url: `http://${at.host}:${at.port}`, authenticated: r.route.access === 'authenticated' });
  }
  for (const r of lab.facts.externalRoutes ?? []) {
    const scheme = r.scheme ?? 'http';
    out.push({ name: r.host, names: routeNames(lab, r), url: `${scheme}://${r.address}:${r.port}`, authenticated: r.access === 'authenticated', insecure: scheme === 'https' });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** `Host(\`a\`) || Host(\`b\`)`: a router that answers to every name of its route. */
function hostRule(names: readonly string[]): string {
  return names.map((n) => `Host(\`${n}\`)`).join(' || ');
}

/** Traefik's file-provider configuration, derived from every route the services declare. */
export function traefikRoutes(lab: Lab, proxy: HostDef): Record<string, unknown> {
  const auth = findRole(lab, 'auth');
  const authAt = auth && reach(proxy, auth, auth.service.listen?.[0] ?? 9000);
  const routers: Record<string, unknown> = {};
  const services: Record<string, unknown> = {};
  let skipVerify = false;
  for (const e of entries(lab, proxy)) {
    const withAuth = e.authenticated && authAt !== undefined;
    routers[e.name] = {
      rule: hostRule(e.names),
      entryPoints: [ROUTES_ENTRY_POINT],
      service: e.name,
      ...(withAuth ? { middlewares: ['authentik'] } : {}),
      priority: 10,
      tls: routerTls(lab),
    };
    // The outpost's own path must not itself be forward-authed: a higher priority takes it first.
    if (withAuth) {
      routers[`${e.name}-outpost`] = {
        rule: `${e.names.length > 1 ? `(${hostRule(e.names)})` : hostRule(e.names)} && PathPrefix(\`${OUTPOST_PATH}/\`)`,
        entryPoints: [ROUTES_ENTRY_POINT],
        service: 'authentik-outpost',
        priority: 15,
        tls: routerTls(lab),
      };
    }
    services[e.name] = { loadBalancer: { servers: [{ url: e.url }], ...(e.insecure ? { serversTransport: 'skip-verify' } : {}) } };
    skipVerify ||= e.insecure === true;
  }
  const http: Record<string, unknown> = { routers, services };
  if (authAt) {
    services['authentik-outpost'] = { loadBalancer: { servers: [{ url: `http://${authAt.host}:${authAt.port}${OUTPOST_PATH}` }] } };
    http.middlewares = {
      authentik: {
        forwardAuth: {
          address: `http://${authAt.host}:${authAt.port}${OUTPOST_PATH}/auth/traefik`,
          trustForwardHeader: true,
          authResponseHeaders: AUTH_RESPONSE_HEADERS,
        },
      },
    };
  }
  // Devices with self-signed certificates (the Proxmox web UI) are reached without verifying them.
  if (skipVerify) http.serversTransports = { 'skip-verify': { insecureSkipVerify: true } };
  http.services = Object.fromEntries(Object.entries(services).sort(([a], [b]) => a.localeCompare(b)));
  http.routers = Object.fromEntries(Object.entries(routers).sort(([a], [b]) => a.localeCompare(b)));
  return { http };
}

/** On the reverse proxy's host: the routes file the file provider watches, and with the internal CA the certificate it serves. */
export function renderTraefik(lab: Lab, host: HostDef): Artifact[] {
  const proxy = findRole(lab, 'reverse-proxy');
  if (!proxy || proxy.host !== host) return [];
  const out: Artifact[] = [
    {
      path: `${TRAEFIK_DYNAMIC_DIR}/routes.yaml`,
      kind: 'traefik',
      content: toYaml(traefikRoutes(lab, host), { header: ['Generated from every route the services declare. Do not edit.'] }),
    },
  ];
  if (tlsMode(lab) === 'internal-ca') {
    out.push({
      path: `${TRAEFIK_DYNAMIC_DIR}/tls.yaml`,
      kind: 'traefik',
      content: toYaml(traefikTls(), { header: ["The certificate the lab's internal CA issues for every route name (docs/hosts.md, TLS). Do not edit."] }),
    });
  }
  return out;
}
