import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeNxWorkspace, type NxWorkspace } from '@homelab/testing';
import { labMachines, loadLab, staleDistFiles } from '../src/internal.js';

// Issue 12, part 1: cross-host files are never served stale. A throwaway git repository of the
// whole workspace, built once at the base commit (the Nx cache warm); each scenario is a commit
// on top of it, built again, and Nx's output says which builds ran and which came from the cache.
const WAIT = Number(process.env.HOMELAB_NX_TEST_SECONDS ?? 1200) * 1000;
let ws: NxWorkspace;
let base: string;

const hostBuilds = (tasks: string[]) => tasks.filter((t) => t.endsWith(':build') && t.startsWith('@homelab/') && !/\/(kit|cli|testing|twin|bench|shared):/.test(t)).map((t) => t.slice('@homelab/'.length, -':build'.length));

function build() {
  const r = ws.nx('run-many', '-t', 'build');
  expect(r.code, r.out).toBe(0);
  return { ...r, hosts: hostBuilds(r.executed) };
}

/** Every file under dist/ of a host, as text, for "does it name X" checks. */
function distText(host: string): string {
  const dir = join(ws.root, 'packages', host, 'dist');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

beforeAll(() => {
  ws = makeNxWorkspace();
  base = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ws.root, encoding: 'utf8' }).trim();
  // The base commit: every host builds (and Nx's output is read right).
  expect(build().hosts.length).toBeGreaterThanOrEqual(9);
  // Warm: the same commit again runs nothing.
  expect(build().executed).toEqual([]);
}, WAIT);
afterAll(() => ws?.remove());
beforeEach(() => ws.reset(base));

describe('Nx builds the hosts a change reaches, from a warm cache', () => {
  it("an image tag bump in sonarr.ts executes vm-media's build alone", () => {
    ws.edit('packages/vm-media/src/services/sonarr.ts', /image: '([^']+):[^':]+'/, "image: '$1:4.0.99.9999-ls999'");
    ws.commit('sonarr: new tag');
    const r = build();
    expect(r.executed).toEqual(['@homelab/vm-media:build']);
    expect(r.cached).toEqual(expect.arrayContaining(['@homelab/vm-infra:build', '@homelab/lxc-dns:build']));
    expect(distText('vm-media')).toContain('4.0.99.9999-ls999');
  }, WAIT);

  it('a new routed service on vm-media executes vm-media, its readers vm-infra and lxc-dns (and pve, whose firewall lets Traefik in), and their dist/ hold the route', () => {
    ws.write('packages/vm-media/src/services/jellyseerr.ts', JELLYSEERR);
    ws.edit('packages/vm-media/src/index.ts', "import jellyfin from './services/jellyfin.js';", "import jellyfin from './services/jellyfin.js';\nimport jellyseerr from './services/jellyseerr.js';");
    ws.edit('packages/vm-media/src/index.ts', 'jellyfin, prowlarr', 'jellyfin, jellyseerr, prowlarr');
    ws.commit('vm-media: jellyseerr as requests.<domain>');
    const r = build();
    expect(r.hosts.sort()).toEqual(['lxc-dns', 'pve', 'vm-infra', 'vm-media']);
    for (const host of ['vm-media', 'vm-infra', 'lxc-dns']) expect(distText(host), host).toContain('requests.local');
    expect(readFileSync(join(ws.root, 'packages/vm-infra/dist/traefik/dynamic/routes.yaml'), 'utf8')).toMatch(/Host\(`requests\.local`\)/);
  }, WAIT);

  it('moving Vaultwarden from vm-apps to vm-dev updates every file that names it', async () => {
    const file = readFileSync(join(ws.root, 'packages/vm-apps/src/services/vaultwarden.ts'), 'utf8');
    // On vm-dev its data lives in vm-dev's dataset (the sensitive note would make lxc-smb's
    // whole-dataset share of services/dev an error: that is a separate decision to make).
    ws.write('packages/vm-dev/src/services/vaultwarden.ts', file.replace("zfs.dataset('services/apps')", "zfs.dataset('services/dev')").replace(/, sensitive: '[^']*'/, ''));
    execFileSync('git', ['rm', '-q', 'packages/vm-apps/src/services/vaultwarden.ts'], { cwd: ws.root });
    ws.edit('packages/vm-apps/src/index.ts', "import vaultwarden from './services/vaultwarden.js';\n", '');
    ws.edit('packages/vm-apps/src/index.ts', '    vaultwarden,\n', '');
    ws.edit('packages/vm-dev/src/index.ts', "import registry from './services/registry.js';", "import registry from './services/registry.js';\nimport vaultwarden from './services/vaultwarden.js';");
    ws.edit('packages/vm-dev/src/index.ts', 'codeServer, registry]', 'codeServer, registry, vaultwarden]');
    ws.commit('vaultwarden moves to vm-dev');
    const r = build();
    expect(r.hosts).toEqual(expect.arrayContaining(['lxc-dns', 'vm-apps', 'vm-dev', 'vm-infra']));
    // Every host's dist/ is what the lab at this commit renders: nothing names the old place.
    const { lab } = await loadLab(ws.root);
    const stale = labMachines(lab).map((m) => [m.name, staleDistFiles(lab, m, join(ws.root, 'packages', m.name, 'dist'))] as const).filter(([, files]) => files.length > 0);
    expect(stale).toEqual([]);
    expect(distText('vm-dev')).toContain('vaultwarden');
    expect(distText('vm-apps')).not.toContain('vaultwarden');
    expect(readFileSync(join(ws.root, 'packages/vm-infra/dist/traefik/dynamic/routes.yaml'), 'utf8')).toContain('http://192.168.0.24:8081');
  }, WAIT);
});

const JELLYSEERR = `import { defineService } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';

export default defineService({
  name: 'jellyseerr',
  image: 'fallenbagel/jellyseerr:2.7.3',
  imageFacts: { user: '0:0', ships: ['wget'], source: 'https://github.com/Fallenbagel/jellyseerr/blob/develop/Dockerfile' },
  role: 'app',
  volumes: [{ dataset: zfs.dataset('services/media'), sub: 'jellyseerr', target: '/app/config' }],
  environment: { TZ: lab.timezone },
  ports: [{ target: 5055 }],
  listen: [5055],
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://localhost:5055/'] },
  route: { host: 'requests', port: 5055, access: 'authenticated' },
});
`;
