import { defineRule, servicePath } from '../rule.js';
import { AUTH_GROUPS, DEFAULT_ROUTE_GROUP } from '../../model/auth-groups.js';
import { labRoutes } from '../../model/routes.js';
import { imageName, serviceName, type ServiceDef } from '../../model/service.js';
import type { HostDef } from '../../model/host.js';
import { authentikBlueprint } from '../../model/authentik.js';
import { checkBlueprint } from '../../formats/authentik-blueprint-check.js';
import { findRole } from '../../model/wiring.js';

const SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock']);
/** Prometheus's flags that open HTTP endpoints to reload, shut down or delete data (prometheus --help). */
const ADMIN_FLAGS = ['--web.enable-lifecycle', '--web.enable-admin-api'];
/** Images whose web UI is a shell on the machine it runs on. */
const TERMINALS = ['code-server', 'ttyd', 'wetty'];

const mountsSocket = (s: ServiceDef) => (s.volumes ?? []).some((v) => 'hostPath' in v && SOCKETS.has(v.hostPath));
const args = (s: ServiceDef) => [...(Array.isArray(s.command) ? s.command : s.command ? [s.command] : []), ...(Array.isArray(s.entrypoint) ? s.entrypoint : [])].map(String);

/** Why a service's web UI is root on its host (or on a service of it), or undefined. */
export function rootOnHost(host: HostDef, service: ServiceDef): string | undefined {
  if (mountsSocket(service)) return 'it mounts the Docker socket';
  for (const d of service.dependsOn ?? []) {
    const dep = host.services.find((s) => s.name === serviceName(d.service));
    if (dep && mountsSocket(dep)) return `it drives the Docker engine through ${dep.name}`;
  }
  const flag = args(service).find((a) => ADMIN_FLAGS.some((f) => a === f || a.startsWith(`${f}=`)));
  if (flag) return `it runs with ${flag} (its HTTP API reconfigures or stops it)`;
  const terminal = TERMINALS.find((t) => imageName(service.image).endsWith(t));
  if (terminal) return `${terminal} is a shell on ${host.name}`;
  return undefined;
}

/**
 * Who may use each forward-auth route: a group Authentik knows, only on a route behind forward
 * auth, admins only for a route that is root on its host; and the blueprint the routes give
 * Authentik, checked against upstream's format.
 */
export const routeGroupsRule = defineRule({
  description: 'Forward-auth routes: a known group, admins where it is root on a host; the Authentik blueprint as upstream reads it',
  docs: 'findings.md#across-the-lab',
  codes: ['route-group-unknown', 'route-group-public', 'route-group-too-wide', 'authentik-blueprint-invalid'],
  check(lab, findings) {
    const known = Object.keys(AUTH_GROUPS);
    const checkOne = (path: string, fqdn: string, route: { access: unknown; group?: unknown }, why?: string) => {
      if (route.group !== undefined && !known.includes(String(route.group))) {
        findings.error('route-group-unknown', `${path}.group`, `${fqdn} is for group "${String(route.group)}", which the lab's Authentik blueprint does not make; use one of ${known.join(', ')}.`);
        return;
      }
      if (route.group !== undefined && route.access !== 'authenticated') {
        findings.error('route-group-public', `${path}.group`, `${fqdn} is public, so no group is asked for; drop group, or make the route 'authenticated'.`);
        return;
      }
      if (why && route.access === 'authenticated' && (route.group ?? DEFAULT_ROUTE_GROUP) !== 'admins') {
        findings.error('route-group-too-wide', `${path}.group`, `${fqdn} is open to every lab account (${AUTH_GROUPS.users}), household ones too, but ${why}: whoever uses it can act as root. Give the route group: 'admins'.`);
      }
    };
    for (const r of labRoutes(lab)) checkOne(servicePath(r.host, r.service, 'route'), r.fqdn, r.route, rootOnHost(r.host, r.service));
    (lab.facts.externalRoutes ?? []).forEach((r, i) => checkOne(`shared/externalRoutes[${i}]`, `${r.host}.${lab.facts.domain}`, r));
    const auth = findRole(lab, 'auth');
    if (!auth) return;
    for (const problem of checkBlueprint(authentikBlueprint(lab))) {
      findings.error('authentik-blueprint-invalid', servicePath(auth.host, auth.service, 'route'), `the Authentik blueprint of the lab's routes departs from upstream's format: ${problem}.`);
    }
  },
});
