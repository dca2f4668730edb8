import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { homepageServices, homepageServicesSchema, labRoutes, parseYaml, renderHost, startPage, type Lab } from '../src/internal.js';
import { realLab } from './fixtures.js';
import { withService } from './mutate.js';

const check = new Ajv({ allErrors: true, strict: false }).compile(homepageServicesSchema);
const page = startPage(realLab)!;
const files = renderHost(realLab, page.host).artifacts.filter((a) => a.path.startsWith('homepage/'));
const services = parseYaml(files.find((f) => f.path === 'homepage/services.yaml')!.content) as Record<string, Record<string, { href: string; widget?: Record<string, string> }>[]>[];
const listed = services.flatMap((g) => Object.values(g)[0]!.flatMap((e) => Object.values(e)));

describe('the start page (Homepage)', () => {
  it('renders every file Homepage reads from its read-only config folder', () => {
    expect(files.map((f) => f.path.slice('homepage/'.length)).sort()).toEqual([
      'bookmarks.yaml', 'custom.css', 'custom.js', 'docker.yaml', 'kubernetes.yaml', 'proxmox.yaml', 'services.yaml', 'settings.yaml', 'widgets.yaml',
    ]);
    for (const f of files.filter((f) => f.path.endsWith('.yaml'))) expect(() => parseYaml(f.content), f.path).not.toThrow();
  });

  it("lists every route of the lab but its own, and every external route, grouped by machine", () => {
    const own = `https://${page.service.route!.host}.${realLab.facts.domain}`;
    const wanted = [...labRoutes(realLab).map((r) => `https://${r.fqdn}`), ...(realLab.facts.externalRoutes ?? []).map((r) => `https://${r.host}.${realLab.facts.domain}`)].filter((h) => h !== own);
    expect(listed.map((e) => e.href).sort()).toEqual(wanted.sort());
    expect(services.map((g) => Object.keys(g)[0])).toEqual(['lxc-dns', 'vm-apps', 'vm-dev', 'vm-games', 'vm-infra', 'vm-media']);
  });

  it("matches Homepage's documented format", () => {
    expect(check(services), JSON.stringify(check.errors)).toBe(true);
  });

  it.each([
    ['a service key Homepage does not know', (d: any) => { Object.values<any>(Object.values<any>(d[0])[0][0])[0].hreff = 'https://x'; }],
    ['a group that is not a one-key mapping', (d: any) => { d[0].other = []; }],
    ['a widget without its url', (d: any) => { d.push({ g: [{ s: { href: 'https://s', widget: { type: 'sonarr', key: 'k' } } }] }); }],
    ['a widget type the kit does not render', (d: any) => { d.push({ g: [{ s: { widget: { type: 'portainer', url: 'http://p:9000' } } }] }); }],
    ['an href that is not a URL', (d: any) => { d.push({ g: [{ s: { href: 'sonarr.local' } }] }); }],
  ])('refuses %s', (_name, breakIt) => {
    const doc = structuredClone(services);
    breakIt(doc);
    expect(check(doc)).toBe(false);
  });

  it("gives each widget the service's key through a HOMEPAGE_FILE_ variable the compose file sets from the secret", () => {
    const sonarr = listed.find((e) => e.href.startsWith('https://sonarr.'))!;
    expect(sonarr.widget).toEqual({ type: 'sonarr', url: 'http://192.168.0.22:8989', key: '{{HOMEPAGE_FILE_SONARR_API_KEY}}' });
    const compose = parseYaml(renderHost(realLab, page.host).artifacts.find((a) => a.path === 'compose.yaml')!.content) as any;
    const env = compose.services.homepage.environment;
    expect(env.HOMEPAGE_FILE_SONARR_API_KEY).toBe('/run/secrets/sonarr_api_key');
    expect(compose.services.homepage.secrets).toContain('sonarr_api_key');
    expect(env.HOMEPAGE_ALLOWED_HOSTS).toBe('home.local,home.home.arpa');
    // Prometheus on the same host: by its service name on the shared network.
    expect(listed.find((e) => e.href.startsWith('https://prometheus.'))!.widget).toEqual({ type: 'prometheus', url: 'http://prometheus:9090' });
  });

  it('changes with the routes: a route added or removed is on the page or off it', () => {
    const lab: Lab = withService(realLab, 'vm-media', 'sonarr', (s) => ({ ...s, route: undefined }));
    const hrefs = homepageServices(lab).flatMap((g) => Object.values(g)[0] as Record<string, { href: string }>[]).flatMap((e) => Object.values(e).map((v) => v.href));
    expect(hrefs).not.toContain('https://sonarr.local');
    expect(hrefs).toContain('https://radarr.local');
  });
});
