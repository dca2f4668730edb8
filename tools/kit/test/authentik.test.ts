import { describe, expect, it } from 'vitest';
import { parse, type CollectionTag, type ScalarTag } from 'yaml';
import {
  authenticatedNames,
  authentikBlueprint,
  checkBlueprint,
  keyOf,
  renderAuthentik,
  traefikRoutes,
  type Blueprint,
  type BlueprintEntry,
} from '../src/internal.js';
import { realLab } from './fixtures.js';

const infra = realLab.hosts.find((h) => h.name === 'vm-infra')!;
const bp = authentikBlueprint(realLab);
const entries = (model: string) => bp.entries.filter((e) => e.model === model);
const attrs = (e: BlueprintEntry) => e.attrs as Record<string, unknown>;

/** authentik's tags as the `yaml` package reads them: enough to read the file back. */
const tags: (ScalarTag | CollectionTag)[] = [
  { tag: '!KeyOf', resolve: (v: string) => ({ tag: '!KeyOf', id: v }) } as ScalarTag,
  { tag: '!Find', collection: 'seq', resolve: (seq: { toJSON(): unknown[] }) => seq.toJSON() } as unknown as CollectionTag,
  { tag: '!File', resolve: (v: string) => ({ tag: '!File', path: v }) } as ScalarTag,
];

describe('the Authentik blueprint of the lab\'s routes', () => {
  it('has a proxy provider and an application for every name of every forward-auth route Traefik protects', () => {
    const routers = (traefikRoutes(realLab, infra).http as { routers: Record<string, { rule: string; middlewares?: string[] }> }).routers;
    const protectedNames = Object.values(routers)
      .filter((r) => r.middlewares?.includes('authentik'))
      .flatMap((r) => [...r.rule.matchAll(/Host\(`([^`]+)`\)/g)].map((m) => m[1]!));
    const providers = entries('authentik_providers_proxy.proxyprovider');
    expect(providers.map((p) => attrs(p).external_host).sort()).toEqual(protectedNames.map((n) => `https://${n}`).sort());
    for (const p of providers) expect(attrs(p).mode).toBe('forward_single');
    const apps = entries('authentik_core.application');
    expect(apps.map((a) => (attrs(a).provider as { id: string }).id).sort()).toEqual(providers.map((p) => p.id).sort());
  });

  it('the embedded outpost serves every provider', () => {
    const [outpost] = entries('authentik_outposts.outpost');
    expect(outpost!.identifiers).toEqual({ managed: 'goauthentik.io/outposts/embedded' });
    expect(attrs(outpost!).providers).toEqual(entries('authentik_providers_proxy.proxyprovider').map((p) => keyOf(p.id!)));
    expect(attrs(outpost!).config).toEqual({ authentik_host: 'https://auth.local', authentik_host_insecure: false });
  });

  it('binds Portainer, Prometheus, code-server and AdGuard to admins only, Grafana to users and admins', () => {
    const boundTo = (slug: string) =>
      entries('authentik_policies.policybinding')
        .filter((b) => (b.identifiers!.target as { id: string }).id === `app-${slug}`)
        .map((b) => (b.identifiers!.group as { id: string }).id);
    for (const slug of ['portainer', 'prometheus', 'code', 'adguard', 'portainer-home-arpa']) expect(boundTo(slug), slug).toEqual(['group-lab-admins']);
    expect(boundTo('grafana')).toEqual(['group-lab-users', 'group-lab-admins']);
    expect(entries('authentik_core.group').map((g) => g.identifiers!.name)).toEqual(['lab-users', 'lab-admins', 'authentik Admins']);
    expect(authenticatedNames(realLab).every((n) => n.slug.length > 0)).toBe(true);
  });

  it('makes the first admin (akadmin, a superuser and a lab admin) with its password read from the worker\'s secret', () => {
    const [superusers] = entries('authentik_core.group').filter((e) => e.id === 'group-superusers');
    expect(superusers).toMatchObject({ identifiers: { name: 'authentik Admins' }, attrs: { is_superuser: true } });
    const [admin] = entries('authentik_core.user');
    expect(admin).toMatchObject({ state: 'present', identifiers: { username: 'akadmin' } });
    expect(attrs(admin!).password).toEqual({ tag: '!File', path: '/run/secrets/authentik_admin_password' });
    expect(attrs(admin!).groups).toEqual([keyOf('group-superusers'), keyOf('group-lab-admins')]);
    const worker = infra.services.find((s) => s.name === 'authentik-worker')!;
    expect(worker.secrets?.map((s) => s.name)).toContain('authentik_admin_password');
    const [file] = renderAuthentik(realLab, infra);
    expect(file!.content).toContain('password: !File /run/secrets/authentik_admin_password\n');
  });

  it('is rendered on the auth service\'s host only, and reads back (with authentik\'s tags) as the model', () => {
    const [file] = renderAuthentik(realLab, infra);
    expect(file!.path).toBe('authentik/blueprints/homelab-routes.yaml');
    expect(file!.kind).toBe('authentik-blueprint');
    expect(renderAuthentik(realLab, realLab.hosts.find((h) => h.name === 'vm-media')!)).toEqual([]);
    expect(file!.content).toContain('provider: !KeyOf provider-grafana\n');
    expect(file!.content).toContain('authorization_flow: !Find [authentik_flows.flow, [slug, default-provider-authorization-implicit-consent]]\n');
    const read = parse(file!.content, { customTags: tags }) as Blueprint;
    expect(read.version).toBe(1);
    const grafana = read.entries.find((e) => e.id === 'provider-grafana')!;
    expect(grafana.attrs!.authorization_flow).toEqual(['authentik_flows.flow', ['slug', 'default-provider-authorization-implicit-consent']]);
    expect(read.entries.find((e) => e.id === 'app-grafana')!.attrs!.provider).toEqual(keyOf('provider-grafana'));
  });
});

describe('the blueprint against upstream\'s format (schema.json envelope, @goauthentik/api request types)', () => {
  it('the lab\'s blueprint passes', () => {
    expect(checkBlueprint(bp)).toEqual([]);
  });

  const broken = (change: (entries: BlueprintEntry[]) => BlueprintEntry[]): Blueprint => ({ ...bp, entries: change([...bp.entries]) });
  const withProvider = (a: Record<string, unknown>) =>
    broken((es) => es.map((e) => (e.id === 'provider-grafana' ? { ...e, attrs: a as BlueprintEntry['attrs'] } : e)));
  const grafanaAttrs = () => ({ ...(bp.entries.find((e) => e.id === 'provider-grafana')!.attrs as Record<string, unknown>) });

  it('a field the proxy provider does not have (a typo) is named', () => {
    const a = grafanaAttrs();
    a.external_hosts = a.external_host;
    delete a.external_host;
    expect(checkBlueprint(withProvider(a))).toEqual([
      'entries[6] (authentik_providers_proxy.proxyprovider provider-grafana): external_hosts is not a field of authentik_providers_proxy.proxyprovider (@goauthentik/api ProxyProviderRequest)',
      'entries[6] (authentik_providers_proxy.proxyprovider provider-grafana): external_host is required by authentik_providers_proxy.proxyprovider (@goauthentik/api ProxyProviderRequest)',
    ].map((s) => s.replace('entries[6]', `entries[${bp.entries.findIndex((e) => e.id === 'provider-grafana')}]`)));
  });

  it('a provider without invalidation_flow (required since 2024.10) and a mode authentik does not have', () => {
    const { invalidation_flow: _, ...a } = grafanaAttrs();
    const problems = checkBlueprint(withProvider({ ...a, mode: 'forward' }));
    expect(problems.some((p) => p.endsWith('invalidation_flow is required by authentik_providers_proxy.proxyprovider (@goauthentik/api ProxyProviderRequest)'))).toBe(true);
    expect(problems.some((p) => p.includes('.mode "forward" is not one of ProxyMode: proxy, forward_single, forward_domain'))).toBe(true);
  });

  it('a !KeyOf before its entry, a duplicate id, a wrong state and version are named', () => {
    const reordered = broken((es) => {
      const i = es.findIndex((e) => e.id === 'app-grafana');
      const [app] = es.splice(i, 1);
      return [app!, ...es, { ...es.find((e) => e.id === 'group-lab-users')!, state: 'gone' as never }];
    });
    const problems = checkBlueprint({ ...reordered, version: 2 as never });
    expect(problems).toContain('version is 2; authentik reads version 1');
    expect(problems).toContain('entries[0] (authentik_core.application app-grafana): !KeyOf provider-grafana names no entry before it');
    expect(problems.some((p) => p.includes('.id "group-lab-users" is used twice'))).toBe(true);
    expect(problems.some((p) => p.includes('.state "gone" is not one of present, created, must_created, absent'))).toBe(true);
  });

  it('a user\'s password is a field in a blueprint only (UserSerializer\'s blueprint context); a typo of it is named', () => {
    const typo = broken((es) => es.map((e) => (e.id === 'first-admin' ? { ...e, attrs: { ...e.attrs, passwd: 'x' } } : e)));
    expect(checkBlueprint(typo)).toEqual([`entries[${bp.entries.findIndex((e) => e.id === 'first-admin')}] (authentik_core.user first-admin): passwd is not a field of authentik_core.user (@goauthentik/api UserRequest)`]);
  });

  it('a model the check has no request type for is named, not passed', () => {
    expect(checkBlueprint(broken((es) => [...es, { model: 'authentik_core.usr', identifiers: { username: 'x' } }]))).toEqual([
      `entries[${bp.entries.length}] (authentik_core.usr): the check knows no request type for model authentik_core.usr (add it to MODELS)`,
    ]);
  });
});

describe('authentik-first-admin-unread', () => {
  it('the worker that applies the blueprint must have the secret its !File reads', async () => {
    const { validateLab } = await import('../src/internal.js');
    const { withService } = await import('./mutate.js');
    const codes = (lab: typeof realLab) => validateLab(lab).filter((f) => f.code === 'authentik-first-admin-unread').map((f) => `${f.severity} @ ${f.path}`);
    expect(codes(realLab)).toEqual([]);
    const without = withService(realLab, 'vm-infra', 'authentik-worker', (s) => ({ ...s, secrets: [] }));
    expect(codes(without)).toEqual(['error @ vm-infra/authentik-worker/secrets']);
    const [finding] = validateLab(without).filter((f) => f.code === 'authentik-first-admin-unread');
    expect(finding!.message).toMatch(/initial-setup flow .* stays open to whoever reaches it first/);
    // No worker at all: nothing applies the blueprint.
    const noWorker = { ...realLab, hosts: realLab.hosts.map((h) => (h.name === 'vm-infra' ? { ...h, services: h.services.filter((s) => s.role !== 'auth-worker') } : h)) };
    expect(codes(noWorker)).toEqual(['error @ vm-infra/authentik-server/role']);
  });
});
