import { afterEach, describe, expect, it } from 'vitest';
import { makeGitWorkspace, repoRoot, type GitWorkspace } from '@homelab/testing';
import { renderBoth, renderedChanges } from '../src/index.js';

// The exact blast radius: after one commit, the hosts whose rendered files change are exactly
// the expected ones. Each scenario is a real commit in a throwaway repository of the lab.
let ws: GitWorkspace | undefined;
afterEach(() => ws?.remove());

async function changedHosts(w: GitWorkspace): Promise<string[]> {
  const changes = await renderedChanges(w.root, 'HEAD~1', repoRoot);
  return changes.filter((c) => c.status !== 'same').map((c) => c.host).sort();
}

describe('blast radius', () => {
  it('1. a new image tag for Sonarr changes only vm-media', async () => {
    ws = makeGitWorkspace();
    ws.edit('packages/vm-media/src/services/sonarr.ts', /image: '([^']+):[^':]+'/, "image: '$1:4.0.99.9999-ls999'");
    ws.commit('sonarr: new tag');
    expect(await changedHosts(ws)).toEqual(['vm-media']);
  });

  it("2. Jellyfin's route hostname changes vm-infra (Traefik) and lxc-dns (the rewrite), not vm-media", async () => {
    ws = makeGitWorkspace();
    ws.edit('packages/vm-media/src/services/jellyfin.ts', "route: { host: 'jellyfin',", "route: { host: 'movies',");
    ws.commit('jellyfin: route as movies');
    expect(await changedHosts(ws)).toEqual(['lxc-dns', 'vm-infra']);
  });

  it('3. a new routed service with metrics on vm-apps changes vm-apps, vm-infra (Traefik, Prometheus, Authentik, the start page), lxc-dns and pve (its firewall rule)', async () => {
    ws = makeGitWorkspace();
    ws.write(
      'packages/vm-apps/src/services/paperless.ts',
      `import { defineService } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';

export default defineService({
  name: 'paperless',
  image: 'ghcr.io/paperless-ngx/paperless-ngx:2.18.4',
  imageFacts: { user: '0:0', ships: ['curl'], source: 'https://github.com/paperless-ngx/paperless-ngx/blob/main/Dockerfile' },
  role: 'app',
  volumes: [{ dataset: zfs.dataset('services/apps'), sub: 'paperless', target: '/usr/src/paperless/data' }],
  environment: { TZ: lab.timezone },
  ports: [{ target: 8000, published: 8010 }],
  listen: [8000],
  healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8000/'] },
  route: { host: 'paperless', port: 8000, access: 'authenticated' },
  metrics: { port: 8000, path: '/metrics' },
});
`,
    );
    ws.edit('packages/vm-apps/src/index.ts', "import vaultwarden from './services/vaultwarden.js';", "import paperless from './services/paperless.js';\nimport vaultwarden from './services/vaultwarden.js';");
    ws.edit('packages/vm-apps/src/index.ts', '    vaultwarden,\n', '    paperless,\n    vaultwarden,\n');
    ws.commit('vm-apps: paperless');
    const { base, head } = await renderBoth(ws.root, 'HEAD~1', repoRoot);
    const changed = (host: string) => [...head.get(host)!].filter(([f, c]) => base.get(host)!.get(f) !== c).map(([f]) => f).sort();
    // pve: the new port's firewall rule (only vm-infra may reach it) in vm-apps' 121.fw.
    expect(await changedHosts(ws)).toEqual(['lxc-dns', 'pve', 'vm-apps', 'vm-infra']);
    // One declaration gives it its route, its scrape job, its place in Authentik (a provider and
    // application per name) and on the start page.
    expect(changed('vm-infra')).toEqual(['authentik/blueprints/homelab-routes.yaml', 'homepage/services.yaml', 'manifest.json', 'prometheus/prometheus.yml', 'traefik/dynamic/routes.yaml']);
    expect(changed('pve')).toEqual(['firewall/121.fw', 'manifest.json']);
  });

  it('4. a changed address in the network plan changes exactly the hosts whose files mention it', async () => {
    ws = makeGitWorkspace();
    const old = /192\.168\.0\.2(?![0-9])/;
    const before = (await renderBoth(ws.root, 'HEAD', repoRoot)).head;
    const mentioning = [...before].filter(([, files]) => [...files.values()].some((c) => old.test(c))).map(([h]) => h).sort();
    expect(mentioning.length).toBeGreaterThan(0);
    ws.edit('packages/shared/src/network.ts', /address: '192\.168\.0\.2' \}/, "address: '192.168.0.3' }");
    ws.commit('the Proxmox host moves to .3');
    expect(await changedHosts(ws)).toEqual(mentioning);
  });

  it('5. README or docs only change no host', async () => {
    ws = makeGitWorkspace();
    ws.edit('README.md', '# homelab-as-code', '# homelab-as-code (edited)');
    ws.edit('docs/findings.md', '# Findings', '# Findings (edited)');
    ws.commit('docs only');
    expect(await changedHosts(ws)).toEqual([]);
  });

  it('a change to the kit that alters output counts (rendered with the tree\'s own kit)', async () => {
    ws = makeGitWorkspace();
    ws.edit('tools/kit/src/render/compose.ts', "const DEFAULT_RESTART = 'unless-stopped';", "const DEFAULT_RESTART = 'always';");
    ws.commit('kit: restart always');
    const changed = await changedHosts(ws);
    expect(changed).toContain('vm-media');
  });
});
