import { describe, expect, it } from 'vitest';
import { adguardRewrites, daemonsOf, labRoutes, renderTraefik, traefikAcmeEnvironment, traefikRoutes, validateLab, type Lab } from '../src/internal.js';
import { realLab } from './fixtures.js';

const withRouteDomain = (lab: Lab, routeDomain: string): Lab => ({ ...lab, facts: { ...lab.facts, routeDomain } });
const mdns = (lab: Lab) => validateLab(lab).filter((f) => f.code === 'domain-mdns');

describe('route names: the seed domain and the route domain (issue 11, item 5)', () => {
  it('every route answers to <host>.local and <host>.home.arpa by default', () => {
    for (const r of labRoutes(realLab)) expect(r.names).toEqual([`${r.route.host}.local`, `${r.route.host}.home.arpa`]);
  });

  it('Traefik routes both names and AdGuard rewrites both to the proxy', () => {
    const proxy = realLab.hosts.find((h) => h.name === 'vm-infra')!;
    const routers = (traefikRoutes(realLab, proxy).http as { routers: Record<string, { rule: string }> }).routers;
    expect(routers.grafana!.rule).toBe('Host(`grafana.local`) || Host(`grafana.home.arpa`)');
    expect(routers['grafana-outpost']!.rule).toBe('(Host(`grafana.local`) || Host(`grafana.home.arpa`)) && PathPrefix(`/outpost.goauthentik.io/`)');
    const [adguard] = daemonsOf(realLab.hosts.find((h) => h.name === 'lxc-dns')!, 'adguard');
    const names = adguardRewrites(realLab, adguard!).map((r) => r.domain);
    expect(names).toContain('grafana.home.arpa');
    expect(names).toContain('grafana.local');
    expect(names).toContain('adguard.home.arpa');
  });

  it('a route domain equal to the domain gives one name', () => {
    const lab = withRouteDomain(realLab, 'local');
    for (const r of labRoutes(lab)) expect(r.names).toEqual([`${r.route.host}.local`]);
  });

  it('domain-mdns says which names work: the route domain when there is one, else set one', () => {
    const [withSecond] = mdns(realLab);
    expect(withSecond?.severity).toBe('warning');
    expect(withSecond?.message).toContain('<host>.home.arpa');
    const [only] = mdns(withRouteDomain(realLab, 'local'));
    expect(only?.message).toContain('Set routeDomain');
    expect(mdns({ ...realLab, facts: { ...realLab.facts, domain: 'home.arpa' } })).toEqual([]);
  });
});

describe('TLS modes in the rendered configuration (issue 11, item 4)', () => {
  const acme = { mode: 'acme-dns01', provider: 'cloudflare', email: 'me@example.org', tokenSecret: 'cloudflare_token', tokenEnv: 'CF_DNS_API_TOKEN_FILE' } as const;
  const proxy = realLab.hosts.find((h) => h.name === 'vm-infra')!;
  const routers = (lab: Lab) => (traefikRoutes(lab, proxy).http as { routers: Record<string, { tls: object }> }).routers;

  it('the internal CA: routers take the store certificate, tls.yaml is rendered, no ACME variables', () => {
    expect(routers(realLab).grafana!.tls).toEqual({});
    expect(renderTraefik(realLab, proxy).map((a) => a.path)).toEqual(['traefik/dynamic/routes.yaml', 'traefik/dynamic/tls.yaml']);
    expect(traefikAcmeEnvironment(realLab.facts.tls)).toEqual({});
  });

  it('ACME DNS-01: routers ask the resolver, no tls.yaml, the static resolver with the token as a secret file', () => {
    const lab: Lab = { ...realLab, facts: { ...realLab.facts, routeDomain: 'lab.example.org', tls: acme } };
    expect(routers(lab).grafana!.tls).toEqual({ certResolver: 'acme' });
    expect(renderTraefik(lab, proxy).map((a) => a.path)).toEqual(['traefik/dynamic/routes.yaml']);
    expect(traefikAcmeEnvironment(acme)).toEqual({
      TRAEFIK_CERTIFICATESRESOLVERS_ACME_ACME_EMAIL: 'me@example.org',
      TRAEFIK_CERTIFICATESRESOLVERS_ACME_ACME_STORAGE: '/etc/traefik/acme/acme.json',
      TRAEFIK_CERTIFICATESRESOLVERS_ACME_ACME_DNSCHALLENGE_PROVIDER: 'cloudflare',
      CF_DNS_API_TOKEN_FILE: { kind: 'secret', name: 'cloudflare_token' },
    });
  });
});
