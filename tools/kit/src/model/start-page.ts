import type { EnvValue, RoutePage, ServiceDef } from './service.js';
import type { HostDef } from './host.js';
import type { Lab } from './lab.js';
import { secret, type SecretRef } from './secret.js';
import { labRoutes, routeFqdn, routeNames } from './routes.js';
import { findRole, reach } from './wiring.js';
import { oncePer } from './once-per.js';

/**
 * The lab's start page: a Homepage (gethomepage) instance whose `services.yaml` lists every route
 * of the lab, grouped by the machine that serves it. One route declaration puts a service on the
 * proxy, in DNS, in Authentik's blueprint and here; `route.page` adds its description, icon and
 * widget.
 *
 * Homepage's behaviour the kit relies on (gethomepage/homepage v1.12.3, read 2026-12-08):
 * - `{{HOMEPAGE_FILE_<NAME>}}` in a config file is replaced by the content of the file that the
 *   environment variable HOMEPAGE_FILE_<NAME> names (src/utils/config/config.js,
 *   substituteEnvironmentVars): how a widget's API key reaches it from a compose secret.
 * - every `/api/*` request whose Host header is not `localhost:<PORT>`, `127.0.0.1:<PORT>`,
 *   `[::1]:<PORT>` or one of HOMEPAGE_ALLOWED_HOSTS (comma-separated) is answered 400
 *   (src/middleware.js): the page itself loads, its services and widgets do not.
 * - a config file missing from /app/config is copied from the image's skeleton on first read; on
 *   a read-only folder the copy fails and the server exits (checkAndCopyConfig).
 * - logs go to stdout and to <config>/logs/homepage.log unless LOG_TARGETS=stdout
 *   (src/utils/logger.js, docs/configs/settings.md).
 */

/** The environment variable that names the file of a widget's key (HOMEPAGE_FILE_<NAME>). */
export function homepageFileVariable(ref: SecretRef): string {
  return `HOMEPAGE_FILE_${ref.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * The Homepage service widgets the kit renders, and whether each needs an API key: those whose
 * documented settings are `url` (and `key`) alone (docs/widgets/services/<type>.md, v1.12.3).
 * Types with further required settings (Portainer's `env`, basic-auth widgets) are not rendered.
 */
export const START_PAGE_WIDGETS: Readonly<Record<string, 'key' | 'none'>> = {
  bazarr: 'key',
  lidarr: 'key',
  nextcloud: 'key',
  prometheus: 'none',
  prowlarr: 'key',
  radarr: 'key',
  readarr: 'key',
  sonarr: 'key',
  traefik: 'none',
};

/** The Homepage configuration files the image reads (its src/skeleton): a read-only /app/config needs every one. */
export const HOMEPAGE_CONFIG_FILES = [
  'bookmarks.yaml', 'custom.css', 'custom.js', 'docker.yaml', 'kubernetes.yaml', 'proxmox.yaml', 'services.yaml', 'settings.yaml', 'widgets.yaml',
] as const;

/** The rendered folder the start page mounts read-only at /app/config (its `rendered` volume). */
export const HOMEPAGE_DIR = 'homepage';

/** Where the image reads its configuration (WORKDIR /app, `config`). */
export const HOMEPAGE_CONFIG_DIR = '/app/config';

/** One service on the start page. */
export interface StartPageEntry {
  /** The group it is listed under: the machine that serves it. */
  readonly group: string;
  readonly name: string;
  readonly href: string;
  readonly description?: string;
  readonly icon?: string;
  /** Its widget, with the URL the start page's host reaches it at (undefined when nothing publishes the port). */
  readonly widget?: { readonly type: string; readonly url?: string; readonly key?: SecretRef };
  /** Where the route is declared, for findings (`host/service/route`). */
  readonly path: string;
}

/** The lab's start page (the service with role `start-page`), if it has one. */
export function startPage(lab: Lab): { host: HostDef; service: ServiceDef } | undefined {
  return findRole(lab, 'start-page');
}

/** Every route of the lab as the start page lists it, except the start page's own; by group, then name. */
export const startPageEntries = oncePer((lab: Lab): readonly StartPageEntry[] => {
  const page = startPage(lab);
  const entries: StartPageEntry[] = [];
  for (const r of labRoutes(lab)) {
    if (page && r.service === page.service && r.host === page.host) continue;
    const p: RoutePage = r.route.page ?? {};
    const at = page && p.widget ? reach(page.host, { host: r.host, service: r.service }, r.route.port) : undefined;
    entries.push({
      group: r.host.name,
      name: r.service.name,
      href: `https://${r.fqdn}`,
      ...(p.description ? { description: p.description } : {}),
      ...(p.icon ? { icon: p.icon } : {}),
      ...(p.widget ? { widget: { type: p.widget.type, ...(at ? { url: `http://${at.host}:${at.port}` } : {}), ...(p.widget.key ? { key: p.widget.key } : {}) } } : {}),
      path: `${r.host.name}/${r.service.name}/route`,
    });
  }
  (lab.facts.externalRoutes ?? []).forEach((r, i) => {
    const p: RoutePage = r.page ?? {};
    const machine = lab.hosts.find((h) => h.address === r.address)?.name ?? lab.nodes?.find((n) => n.address === r.address)?.name ?? 'devices';
    entries.push({
      group: machine,
      name: r.host,
      href: `https://${routeFqdn(lab, r)}`,
      description: p.description ?? r.description,
      ...(p.icon ? { icon: p.icon } : {}),
      ...(p.widget ? { widget: { type: p.widget.type, url: `${r.scheme ?? 'http'}://${r.address}:${r.port}`, ...(p.widget.key ? { key: p.widget.key } : {}) } } : {}),
      path: `shared/externalRoutes[${i}]`,
    });
  });
  return entries.sort((a, b) => a.group.localeCompare(b.group) || a.name.localeCompare(b.name));
});

/**
 * What the start page's environment gets from the lab: HOMEPAGE_ALLOWED_HOSTS (every name its own
 * route answers to, as the proxy passes the Host header on) and one HOMEPAGE_FILE_<NAME> per
 * widget key (the key's compose secret).
 */
export function startPageEnvironment(lab: Lab, service: ServiceDef): Record<string, EnvValue> {
  const env: Record<string, EnvValue> = {};
  if (service.route) env.HOMEPAGE_ALLOWED_HOSTS = routeNames(lab, service.route).join(',');
  // The variable names the file as a path (readFileSync), whatever form the service's own setting uses.
  for (const e of startPageEntries(lab)) if (e.widget?.key) env[homepageFileVariable(e.widget.key)] = secret(e.widget.key.name);
  return env;
}

/**
 * The lab with its start page's environment completed from the routes (startPageEnvironment); a
 * value the service declares itself is kept, and the start-page rule refuses one that differs
 * from what the routes give (start-page-allowed-hosts, start-page-widget-key-env). The lab as loaded.
 */
export function withStartPage(lab: Lab): Lab {
  const page = startPage(lab);
  if (!page) return lab;
  const derived = startPageEnvironment(lab, page.service);
  const service: ServiceDef = { ...page.service, environment: { ...derived, ...page.service.environment } };
  const hosts = lab.hosts.map((h) => (h === page.host ? { ...h, services: h.services.map((s) => (s === page.service ? service : s)) } : h));
  return { ...lab, hosts };
}

/** One service of services.yaml: `{ <name>: { href, description, icon, widget } }`. */
function serviceItem(e: StartPageEntry): Record<string, unknown> {
  const widget = e.widget && {
    type: e.widget.type,
    ...(e.widget.url ? { url: e.widget.url } : {}),
    ...(e.widget.key ? { key: `{{${homepageFileVariable(e.widget.key)}}}` } : {}),
  };
  return { [e.name]: { href: e.href, ...(e.description ? { description: e.description } : {}), ...(e.icon ? { icon: e.icon } : {}), ...(widget ? { widget } : {}) } };
}

/**
 * Homepage's services.yaml (gethomepage.dev/configs/services): a list of groups, each
 * `{ <group>: [ { <service>: {...} } ] }`, one group per machine, every route of the lab.
 */
export function homepageServices(lab: Lab): Record<string, unknown>[] {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const e of startPageEntries(lab)) groups.set(e.group, [...(groups.get(e.group) ?? []), serviceItem(e)]);
  return [...groups].map(([group, items]) => ({ [group]: items }));
}
