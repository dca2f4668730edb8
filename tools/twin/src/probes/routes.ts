import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AUTH_GROUPS, DEFAULT_ROUTE_GROUP, labRoutes, rootOnHost, routeNames, type Lab } from '@homelab/kit/internal';
import type { ProbeLog } from '../probe.js';
import { fail } from '../probe.js';
import type { TwinVm } from '../vm.js';
import { waitUntil } from '../wait.js';
import { BUSYBOX, containerOf, PROBES_AT_ONCE } from './containers.js';

/** Every backend URL of the rendered Traefik routes (`http.services.*.loadBalancer.servers[].url`). */
export function routeTargets(proxyDist: string): { service: string; url: string }[] {
  const doc = parse(readFileSync(join(proxyDist, 'traefik', 'dynamic', 'routes.yaml'), 'utf8')) as {
    http?: { services?: Record<string, { loadBalancer?: { servers?: { url: string }[] } }> };
  };
  return Object.entries(doc.http?.services ?? {}).flatMap(([service, s]) => (s.loadBalancer?.servers ?? []).map((x) => ({ service, url: x.url })));
}

/**
 * Probe 4 (routes): every Traefik route's target answers HTTP from where Traefik runs: inside the
 * proxy's container, so container names resolve as they do for Traefik. Any HTTP answer counts
 * (the app decides its status); a refused or silent port fails.
 */
export async function probeRoutes(log: ProbeLog, host: string, vm: TwinVm, proxyService: string, proxyDist: string, keep: (url: string) => boolean = () => true): Promise<void> {
  const id = await containerOf(vm, proxyService);
  await log.inParallel(routeTargets(proxyDist).filter((t) => keep(t.url)).map((t) => (log) =>
    log.check(host, 'route', `route ${t.service} -> ${t.url} answers from ${proxyService}`, async () => {
      if (!id) fail(`no container for ${proxyService}`);
      const r = await vm.docker(['exec', id, BUSYBOX, 'timeout', '30', BUSYBOX, 'wget', '-q', '-O', '/dev/null', t.url]);
      if (r.code !== 0 && !/HTTP\/1\.[01] \d{3}/.test(r.stderr)) fail(`${t.url} does not answer: ${r.stderr.trim() || `wget exited ${r.code}`}`);
    })), PROBES_AT_ONCE);
}

interface RoutesFile {
  http?: {
    routers?: Record<string, { rule?: string; middlewares?: string[] }>;
    middlewares?: Record<string, { forwardAuth?: { address?: string } }>;
  };
}

/**
 * Every router of the rendered routes behind a forward-auth middleware: its first host name and
 * the address Traefik asks for it (`http.middlewares.<m>.forwardAuth.address`).
 */
export function forwardAuthRoutes(proxyDist: string): { router: string; host: string; address: string }[] {
  const doc = parse(readFileSync(join(proxyDist, 'traefik', 'dynamic', 'routes.yaml'), 'utf8')) as RoutesFile;
  const middlewares = doc.http?.middlewares ?? {};
  const out: { router: string; host: string; address: string }[] = [];
  for (const [router, r] of Object.entries(doc.http?.routers ?? {})) {
    const address = (r.middlewares ?? []).map((m) => middlewares[m]?.forwardAuth?.address).find((a) => a !== undefined);
    const host = /Host\(`([^`]+)`\)/.exec(r.rule ?? '')?.[1];
    if (address && host) out.push({ router, host, address });
  }
  return out;
}

/** The first status line busybox `wget -S` prints (`  HTTP/1.1 302 Found`): its code, or undefined. */
export function firstStatus(stderr: string): number | undefined {
  const m = /HTTP\/1\.[01] (\d{3})/.exec(stderr);
  return m ? Number(m[1]) : undefined;
}

/**
 * Probe 4b (forward auth): for every route behind forward auth, the outpost is asked as Traefik
 * asks it (GET on the middleware's address with X-Forwarded-Proto/Host/Uri/Method, from the
 * proxy's container) and must send a browser without a session to its login: a redirect. A 400 is
 * authentik's "no app for hostname": no provider covers the route, and every visitor is refused.
 */
export async function probeForwardAuth(log: ProbeLog, lab: Lab, host: string, vm: TwinVm, proxyService: string, proxyDist: string): Promise<void> {
  const id = await containerOf(vm, proxyService);
  const ask = async (address: string, name: string, cookie?: string) => {
    if (!id) fail(`no container for ${proxyService}`);
    const headers = ['X-Forwarded-Proto: https', `X-Forwarded-Host: ${name}`, 'X-Forwarded-Uri: /', 'X-Forwarded-Method: GET', ...(cookie ? [`Cookie: ${cookie}`] : [])].flatMap((h) => ['--header', h]);
    const res = await vm.docker(['exec', id, BUSYBOX, 'timeout', '30', BUSYBOX, 'wget', '-S', '-O', '/dev/null', ...headers, address]);
    const status = firstStatus(res.stderr);
    if (status === undefined) fail(`${address} does not answer: ${res.stderr.trim() || `wget exited ${res.code}`}`);
    return status;
  };
  await log.inParallel(forwardAuthRoutes(proxyDist).map((r) => async (log) => {
    await log.check(host, 'route', `forward auth for ${r.host} redirects to the login (${r.router})`, async () => {
      const status = await ask(r.address, r.host);
      if (status < 300 || status > 399) fail(`${r.address} answers ${status} for ${r.host}${status === 400 ? ' (no app for hostname: no Authentik provider covers it)' : ''}, not a redirect to the login`);
      return `${status}`;
    });
    const may = householdMay(lab, r.host);
    await log.check(host, 'route', `forward auth for ${r.host}: a household account (${AUTH_GROUPS.users}) is ${may ? 'let in' : 'refused'}, an admin (${AUTH_GROUPS.admins}) let in`, async () => {
      const household = await ask(r.address, r.host, `twin_session=${AUTH_GROUPS.users}`);
      const admin = await ask(r.address, r.host, `twin_session=${AUTH_GROUPS.admins}`);
      const problems: string[] = [];
      if (may && (household < 200 || household > 299)) problems.push(`a household account gets ${household}`);
      if (!may && household !== 403) problems.push(`a household account gets ${household}, not 403: ${householdRefusal(lab, r.host)}, yet Authentik's bindings let every lab account in`);
      if (admin < 200 || admin > 299) problems.push(`an admin gets ${admin}`);
      if (problems.length > 0) fail(problems.join('; '));
      return `household ${household}, admin ${admin}`;
    });
  }), PROBES_AT_ONCE);
}

/**
 * Why a household account must be refused at a route, by the threat model (docs/security.md):
 * the route is for admins, or whoever uses it is root on its host (rootOnHost: the Docker engine,
 * a shell, an API that reconfigures it); undefined when it may use it. Read from the model, not
 * from the blueprint the outpost stand-in decides by.
 */
function householdRefusal(lab: Lab, name: string): string | undefined {
  const r = labRoutes(lab).find((x) => x.names.includes(name));
  if (r) {
    if ((r.route.group ?? DEFAULT_ROUTE_GROUP) === 'admins') return `${r.fqdn} is for admins`;
    const root = rootOnHost(r.host, r.service);
    return root ? `${r.host.name}/${r.service.name} is root on ${r.host.name} (${root})` : undefined;
  }
  const e = (lab.facts.externalRoutes ?? []).find((x) => routeNames(lab, x).includes(name));
  return (e?.group ?? DEFAULT_ROUTE_GROUP) === 'admins' ? `${name} is for admins` : undefined;
}

function householdMay(lab: Lab, name: string): boolean {
  return householdRefusal(lab, name) === undefined;
}

interface Target {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

/**
 * Probe 5: the lab's Prometheus (Debian's real binary, in the prometheus service's place) runs the
 * rendered prometheus.yml; once every target has been scraped, each must be `up` (its HTTP API says).
 */
export async function probeScrapes(log: ProbeLog, host: string, vm: TwinVm, prometheusService: string, port = 9090): Promise<void> {
  const id = await containerOf(vm, prometheusService);
  let targets: Target[] = [];
  const read = async () => {
    const r = await vm.docker(['exec', id!, BUSYBOX, 'wget', '-q', '-O', '-', `http://127.0.0.1:${port}/api/v1/targets`]);
    if (r.code !== 0) return false;
    targets = (JSON.parse(r.stdout) as { data: { activeTargets: Target[] } }).data.activeTargets;
    return targets.length > 0 && targets.every((t) => t.health !== 'unknown');
  };
  const ready = await log.check(host, 'scrape', `Prometheus (${prometheusService}) has scraped every target once`, async () => {
    if (!id) fail(`no container for ${prometheusService}`);
    await waitUntil('the first scrape of every target', read);
    return `${targets.length} targets`;
  });
  if (!ready.ok) return;
  for (const t of targets) {
    await log.check(host, 'scrape', `${t.labels.job} ${t.scrapeUrl} (${t.labels.host ?? '?'}) is up`, () => {
      if (t.health !== 'up') fail(`${t.scrapeUrl} is ${t.health}: ${t.lastError}`);
    });
  }
}
