import { describe, expect, it } from 'vitest';
import {
  defineHost, defineService, defineVm, dnsRewrites, labRoutes, prometheusConfig, renderHost, secret, TLS_SECRETS, traefikRoutes, validateLab, type Lab,
} from '../src/internal.js';
import { realLab } from './fixtures.js';
import { withService } from './mutate.js';

// A small reverse-proxy host next to the real hosts: Traefik, Authentik, Prometheus, Grafana.
const infra = defineHost(
  defineVm({ name: 'vm-infra', vmid: 120, address: '192.168.0.20', cores: 2, memoryMiB: 4096, diskGiB: 64, storage: [], cloudInit: { sshKeys: secret('vm_ssh_authorized_keys') } }),
  {
    services: [
      defineService({ name: 'traefik', image: 'traefik:v3.7.9', imageFacts: { user: '0:0', ships: [], source: 'https://example.com/Dockerfile' }, role: 'reverse-proxy', environment: { TRAEFIK_ENTRYPOINTS_WEBSECURE_TRANSPORT_RESPONDINGTIMEOUTS_READTIMEOUT: '1h' }, ports: [{ target: 80, exposure: 'lan', reason: 'the HTTP entry point' }, { target: 443, exposure: 'lan', reason: 'the HTTPS entry point' }], listen: [80, 443], secrets: [secret(TLS_SECRETS.cert), secret(TLS_SECRETS.key)] }),
      defineService({ name: 'authentik-server', image: 'ghcr.io/goauthentik/server:2026.8.3', imageFacts: { user: '0:0', ships: [], source: 'https://example.com/Dockerfile' }, role: 'auth', listen: [9000], route: { host: 'auth', port: 9000, access: { public: 'the login page itself cannot sit behind the login' } } }),
      defineService({ name: 'authentik-worker', image: 'ghcr.io/goauthentik/server:2026.8.3', imageFacts: { user: '0:0', ships: [], source: 'https://example.com/Dockerfile' }, role: 'auth-worker', command: 'worker', secrets: [secret('authentik_admin_password')] }),
      defineService({ name: 'prometheus', image: 'prom/prometheus:v3.5.0', imageFacts: { user: '0:0', ships: [], source: 'https://example.com/Dockerfile' }, role: 'metrics-store', listen: [9090], metrics: { port: 9090 } }),
      defineService({ name: 'grafana', image: 'grafana/grafana:12.1.0', imageFacts: { user: '0:0', ships: [], source: 'https://example.com/Dockerfile' }, role: 'dashboards', listen: [3000], route: { host: 'grafana', port: 3000, access: 'authenticated' } }),
    ],
  },
);
const lab: Lab = { ...realLab, hosts: [...realLab.hosts.filter((h) => h.name !== 'vm-infra'), infra] };
type Routes = { http: { routers: Record<string, { rule: string; middlewares?: string[]; priority: number; service: string }>; services: Record<string, { loadBalancer: { servers: { url: string }[] } }>; middlewares?: Record<string, { forwardAuth: { address: string } }> } };
const routes = (l: Lab) => traefikRoutes(l, l.hosts.find((h) => h.name === 'vm-infra')!) as Routes;

describe('derived wiring', () => {
  it('the fixture lab is clean', () => {
    expect(validateLab(lab).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it("routes the seed's jellyfin.local to the host Jellyfin runs on, without forward auth (public)", () => {
    const { http } = routes(lab);
    expect(http.routers.jellyfin).toMatchObject({ rule: 'Host(`jellyfin.local`) || Host(`jellyfin.home.arpa`)', service: 'jellyfin' });
    expect(http.routers.jellyfin!.middlewares).toBeUndefined();
    expect(http.services.jellyfin!.loadBalancer.servers).toEqual([{ url: 'http://192.168.0.22:8096' }]);
  });

  it('puts Authentik forward auth and its outpost path router on every route not declared public', () => {
    const { http } = routes(lab);
    expect(http.routers.sonarr!.middlewares).toEqual(['authentik']);
    expect(http.routers['sonarr-outpost']).toMatchObject({ rule: '(Host(`sonarr.local`) || Host(`sonarr.home.arpa`)) && PathPrefix(`/outpost.goauthentik.io/`)', priority: 15, service: 'authentik-outpost' });
    expect(http.routers['sonarr-outpost']!.priority).toBeGreaterThan(http.routers.sonarr!.priority);
    expect(http.middlewares!.authentik!.forwardAuth.address).toBe('http://authentik-server:9000/outpost.goauthentik.io/auth/traefik');
    expect(http.services.sonarr!.loadBalancer.servers).toEqual([{ url: 'http://192.168.0.22:8989' }]);
  });

  it('reaches services on its own host by compose name', () => {
    expect(routes(lab).http.services.grafana!.loadBalancer.servers).toEqual([{ url: 'http://grafana:3000' }]);
  });

  it("changing Jellyfin's port in its own file changes Traefik's target and nothing else needs editing", () => {
    const moved = withService(lab, 'vm-media', 'jellyfin', (s) => ({
      ...s,
      ports: s.ports!.map((p) => (p.target === 8096 ? { ...p, target: 8097 } : p)),
      listen: [8097, 7359],
      route: { ...s.route!, port: 8097 },
      healthcheck: { ...s.healthcheck!, test: ['CMD', 'curl', '-fsS', 'http://localhost:8097/health'] },
    }));
    expect(validateLab(moved).filter((f) => f.severity === 'error')).toEqual([]);
    expect(routes(moved).http.services.jellyfin!.loadBalancer.servers).toEqual([{ url: 'http://192.168.0.22:8097' }]);
    const before = renderHost(lab, infra).artifacts.map((a) => a.path);
    expect(renderHost(moved, infra).artifacts.map((a) => a.path)).toEqual(before);
  });

  it('answers every route hostname with the reverse proxy address in DNS', () => {
    const rewrites = dnsRewrites(lab);
    const names = [...new Set(rewrites.map((r) => r.domain.replace(/\.(home\.arpa|local)$/, '')))];
    // Every route's name answers, and nothing else: the routes the lab has now, whatever services it gains.
    const declared = [...labRoutes(lab).map((r) => r.route.host), ...(lab.facts.externalRoutes ?? []).map((r) => r.host)];
    expect([...names].sort()).toEqual([...new Set(declared)].sort());
    expect(names).toEqual(expect.arrayContaining(['auth', 'grafana', 'jellyfin', 'sonarr']));
    // Each under the seed's .local and under home.arpa, which clients that send .local to mDNS still ask DNS for.
    expect(rewrites.map((r) => r.domain)).toEqual(names.flatMap((h) => [`${h}.home.arpa`, `${h}.local`]));
    expect(new Set(rewrites.map((r) => r.answer))).toEqual(new Set(['192.168.0.20']));
  });

  it('scrapes every declared metrics endpoint', () => {
    const config = prometheusConfig(lab, infra) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    expect(config.scrape_configs).toContainEqual(expect.objectContaining({ job_name: 'prometheus', static_configs: [{ targets: ['prometheus:9090'], labels: { host: 'vm-infra' } }] }));
  });

  it('reports a metrics endpoint the store cannot reach', () => {
    const unreachable = withService(lab, 'vm-media', 'jellyfin', { metrics: { port: 9999 } });
    expect(validateLab(unreachable).map((f) => `${f.code} @ ${f.path}`)).toContain('metrics-unreachable @ vm-media/jellyfin/metrics.port');
  });

  it('reports authenticated routes with a proxy but no identity provider', () => {
    const noAuth: Lab = { ...lab, hosts: lab.hosts.map((h) => (h === infra ? { ...h, services: h.services.filter((s) => s.role !== 'auth') } : h)) };
    expect(validateLab(noAuth).map((f) => `${f.code} @ ${f.path}`)).toContain('route-no-auth @ lab/routes');
  });

  it('reports a route whose port nobody publishes for a proxy on another host', () => {
    const unpublished = withService(lab, 'vm-media', 'gluetun', (s) => ({ ...s, ports: s.ports!.filter((p) => p.target !== 8989) }));
    expect(validateLab(unpublished).map((f) => `${f.code} @ ${f.path}`)).toContain('route-unreachable @ vm-media/sonarr/route.port');
  });
});
