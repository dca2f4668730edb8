import type { Lab } from './lab.js';
import { AUTH_GROUPS, DEFAULT_ROUTE_GROUP, groupsAllowed, type RouteGroup } from './auth-groups.js';
import { labRoutes, routeFqdn, routeNames } from './routes.js';
import { findRole } from './wiring.js';
import { fileTag, find, keyOf, type Blueprint, type BlueprintEntry } from '../formats/authentik-blueprint.js';
import { secret, secretMountPath } from './secret.js';

/** The folder of this host's dist/ the authentik server and worker mount at /blueprints/custom. */
export const AUTHENTIK_BLUEPRINTS_DIR = 'authentik/blueprints';
/** Where authentik reads blueprints (AUTHENTIK_BLUEPRINTS_DIR, /blueprints), and the custom folder in it. */
export const AUTHENTIK_BLUEPRINTS_TARGET = '/blueprints/custom';

/** The volume of the authentik server and worker: the rendered blueprints, read-only, where authentik reads custom ones. */
export function authentikBlueprintsVolume(): { readonly rendered: string; readonly target: string; readonly readOnly: true } {
  return { rendered: AUTHENTIK_BLUEPRINTS_DIR, target: AUTHENTIK_BLUEPRINTS_TARGET, readOnly: true };
}

/**
 * Upstream's facts the blueprint relies on (goauthentik/authentik, read 2026-12-07):
 * - the default flows' slugs, made by blueprints/default/flow-default-provider-authorization-
 *   implicit-consent.yaml and flow-default-provider-invalidation.yaml; a proxy provider needs both
 *   (invalidation_flow is required since 2024.10, ProxyProviderRequest in @goauthentik/api);
 * - the embedded outpost's `managed` identifier (authentik/outposts/apps.py, MANAGED_OUTPOST);
 * - the metaapplyblueprint entry that applies another blueprint first (blueprints/v1/meta/apply_blueprint.py),
 *   as upstream's own blueprints do, so the default flows exist before `!Find` looks them up.
 */
export const AUTHENTIK_FACTS = {
  authorizationFlow: 'default-provider-authorization-implicit-consent',
  authorizationFlowBlueprint: 'Default - Provider authorization flow (implicit consent)',
  invalidationFlow: 'default-provider-invalidation-flow',
  invalidationFlowBlueprint: 'Default - Provider invalidation flow',
  embeddedOutpost: 'goauthentik.io/outposts/embedded',
} as const;

/**
 * The lab's first Authentik admin, made by the lab's blueprint from the age store (issue 27).
 * Upstream (goauthentik/authentik, read 2026-12-07): without AUTHENTIK_BOOTSTRAP_PASSWORD the
 * bootstrap blueprint (blueprints/system/bootstrap.yaml, run once by core/setup/signals.py) makes
 * no usable akadmin, and the out-of-box flow /if/flow/initial-setup/ (blueprints/default/
 * flow-oobe.yaml: its policy lets it run while akadmin is missing or has no usable password) lets
 * whoever reaches it first set akadmin's password and sign in as superuser. Setting the variable
 * is no fix from a secret: it is read with os.getenv (the `!Env` tag), so `file://` is not
 * expanded (issue #11023) and the value would sit in the compose file. So the lab's blueprint makes
 * akadmin itself, in `authentik Admins` (is_superuser, as bootstrap.yaml makes it) and the lab's
 * admins group, its password read with `!File` from the worker's compose secret (the worker
 * applies blueprints); `present`, so the age store stays the password's one source (rotate it
 * there, deploy).
 */
export const FIRST_ADMIN = {
  username: 'akadmin',
  secret: 'authentik_admin_password',
  superuserGroup: 'authentik Admins',
} as const;

/** Where the first admin's password file is in the worker (its compose secret). */
export function firstAdminPasswordPath(): string {
  return secretMountPath(secret(FIRST_ADMIN.secret));
}

/** One name a forward-auth route answers to: its own provider and application. */
export interface AuthenticatedName {
  /** The application's slug: the route host, then `-<domain>` for every further name. */
  readonly slug: string;
  readonly name: string;
  /** Who offers it: host/service, or `external` for a route of the shared facts. */
  readonly owner: string;
  readonly group: RouteGroup;
}

const slugOf = (s: string): string => s.replace(/[^a-z0-9-]/g, '-');

/** Every name of every route behind forward auth, in Traefik's order (by route host). */
export function authenticatedNames(lab: Lab): AuthenticatedName[] {
  const routes = [
    ...labRoutes(lab).map((r) => ({ route: r.route, owner: `${r.host.name}/${r.service.name}` })),
    ...(lab.facts.externalRoutes ?? []).map((r) => ({ route: r, owner: 'external' })),
  ]
    .filter((r) => r.route.access === 'authenticated')
    .sort((a, b) => a.route.host.localeCompare(b.route.host));
  return routes.flatMap(({ route, owner }) =>
    routeNames(lab, route).map((name, i) => ({
      slug: i === 0 ? route.host : `${route.host}-${slugOf(name.slice(route.host.length + 1))}`,
      name,
      owner,
      group: route.group ?? DEFAULT_ROUTE_GROUP,
    })),
  );
}

const groupId = (g: string) => `group-${g}`;

/**
 * The blueprint of the lab's routes: the groups, a proxy provider (forward auth, one host) and an
 * application per name of every forward-auth route, each application bound to the groups that
 * may use it, and the embedded outpost serving every provider.
 */
export function authentikBlueprint(lab: Lab): Blueprint {
  const names = authenticatedNames(lab);
  const auth = findRole(lab, 'auth');
  const entries: BlueprintEntry[] = [
    { model: 'authentik_blueprints.metaapplyblueprint', attrs: { identifiers: { name: AUTHENTIK_FACTS.authorizationFlowBlueprint }, required: false } },
    { model: 'authentik_blueprints.metaapplyblueprint', attrs: { identifiers: { name: AUTHENTIK_FACTS.invalidationFlowBlueprint }, required: false } },
  ];
  for (const g of Object.values(AUTH_GROUPS)) {
    entries.push({ model: 'authentik_core.group', id: groupId(g), identifiers: { name: g }, attrs: { is_superuser: false } });
  }
  entries.push({ model: 'authentik_core.group', id: 'group-superusers', identifiers: { name: FIRST_ADMIN.superuserGroup }, attrs: { is_superuser: true } });
  entries.push({
    model: 'authentik_core.user',
    id: 'first-admin',
    state: 'present',
    identifiers: { username: FIRST_ADMIN.username },
    attrs: { name: 'homelab admin', password: fileTag(firstAdminPasswordPath()), is_active: true, groups: [keyOf('group-superusers'), keyOf(groupId(AUTH_GROUPS.admins))] },
  });
  for (const n of names) {
    entries.push({
      model: 'authentik_providers_proxy.proxyprovider',
      id: `provider-${n.slug}`,
      identifiers: { name: `homelab-${n.slug}` },
      attrs: {
        mode: 'forward_single',
        external_host: `https://${n.name}`,
        authorization_flow: find('authentik_flows.flow', 'slug', AUTHENTIK_FACTS.authorizationFlow),
        invalidation_flow: find('authentik_flows.flow', 'slug', AUTHENTIK_FACTS.invalidationFlow),
      },
    });
    entries.push({
      model: 'authentik_core.application',
      id: `app-${n.slug}`,
      identifiers: { slug: n.slug },
      attrs: { name: n.name, provider: keyOf(`provider-${n.slug}`), meta_launch_url: `https://${n.name}`, meta_description: `${n.owner}, for ${AUTH_GROUPS[n.group]}`, policy_engine_mode: 'any' },
    });
    groupsAllowed(n.group).forEach((g, order) => {
      entries.push({
        model: 'authentik_policies.policybinding',
        identifiers: { target: keyOf(`app-${n.slug}`), group: keyOf(groupId(g)) },
        attrs: { order, enabled: true, negate: false, timeout: 30 },
      });
    });
  }
  entries.push({
    model: 'authentik_outposts.outpost',
    identifiers: { managed: AUTHENTIK_FACTS.embeddedOutpost },
    attrs: {
      providers: names.map((n) => keyOf(`provider-${n.slug}`)),
      // The embedded outpost sends browsers to authentik at this URL (authentik docs: embedded outpost).
      ...(auth?.service.route ? { config: { authentik_host: `https://${routeFqdn(lab, auth.service.route)}`, authentik_host_insecure: false } } : {}),
    },
  });
  return {
    version: 1,
    metadata: { name: 'homelab routes', labels: { 'blueprints.goauthentik.io/description': 'Every forward-auth route of the lab: its provider, application, groups and the embedded outpost' } },
    entries,
  };
}

