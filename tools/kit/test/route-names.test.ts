import { describe, expect, it } from 'vitest';
import { adguardRewrites, daemonsOf, labRoutes, traefikRoutes, validateLab, type Lab } from '../src/index.js';
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
