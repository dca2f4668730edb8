import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLab } from '@homelab/kit';
import { renderTraefik } from '@homelab/kit/internal';
import { firstStatus, forwardAuthRoutes } from '../src/probes/routes.js';
import { mainScript } from '../src/standin/scripts.js';
import { importChanges, standinRootfs, standinServices, standinTag, type StandinService } from '../src/index.js';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const lab = (await loadLab(workspaceRoot)).lab;
const specs = standinServices(lab);
const spec = (image: string): StandinService => specs.find((s) => s.image.startsWith(image))!;
const dir = mkdtempSync(join(tmpdir(), 'homelab-standin-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The file tree is checked, not run: any file stands for the static busybox (Debian's comes with the system tier).
const busybox = join(dir, 'busybox');
writeFileSync(busybox, '#!/bin/sh\nexit 127\n', { mode: 0o755 });

describe('stand-in specs of the real lab', () => {
  it('one per distinct image reference', () => {
    const images = new Set(lab.hosts.flatMap((h) => h.services.map((s) => s.image)));
    expect(specs.map((s) => s.image).sort()).toEqual([...images].sort());
  });

  it('carry the image facts and what the services using the image listen on and ask', () => {
    expect(spec('nextcloud:')).toMatchObject({ user: '0:0', secretsReadAs: '33:33', listen: [{ port: 80, protocol: 'tcp' }] });
    expect(spec('nextcloud:').httpPaths).toContain('/status.php');
    expect(spec('jellyfin/').listen).toEqual([{ port: 7359, protocol: 'udp' }, { port: 8096, protocol: 'tcp' }]);
    expect(spec('ghcr.io/goauthentik/')).toMatchObject({ user: '1000:1000', metricsPath: '/metrics' });
    expect(spec('ghcr.io/goauthentik/').listen.map((l) => l.port)).toEqual([9000, 9300, 9443]);
  });
});

describe('a stand-in\'s file tree', () => {
  it('holds only the commands its image ships: distroless Wings has no shell and no curl', () => {
    const root = join(dir, 'wings');
    standinRootfs(spec('ghcr.io/pelican/wings'), root, busybox);
    expect(existsSync(join(root, 'bin/sh'))).toBe(false);
    expect(existsSync(join(root, 'usr/bin/curl'))).toBe(false);
    expect(readlinkSync(join(root, 'usr/bin/wings'))).toBe('/standin/main');
  });

  it('gives Nextcloud its cron.sh with upstream\'s crond, its busybox, curl and a shell', () => {
    const root = join(dir, 'nextcloud');
    standinRootfs(spec('nextcloud:'), root, busybox);
    expect(readFileSync(join(root, 'standin/busybox'), 'utf8')).toBe(readFileSync(busybox, 'utf8'));
    expect(readFileSync(join(root, readlinkSync(join(root, 'cron.sh'))), 'utf8')).toContain('exec busybox crond -f');
    expect(readlinkSync(join(root, 'bin/sh'))).toBe('/standin/busybox');
    expect(lstatSync(join(root, 'usr/bin/busybox')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, 'standin/main'), 'utf8')).toContain("READ_AS='33:33'");
    expect(readFileSync(join(root, 'standin/www/status.php/index.prom'), 'utf8')).toContain('standin_up 1');
    expect(readFileSync(join(root, 'etc/passwd'), 'utf8')).toContain(':33:33:');
  });

  it('is imported as the image\'s user with the stand-in as entrypoint, tagged with the reference (a digest dropped)', () => {
    expect(importChanges(spec('ghcr.io/goauthentik/'))).toContain('USER 1000:1000');
    expect(importChanges(spec('ghcr.io/goauthentik/'))).toContain('ENTRYPOINT ["/standin/main"]');
    expect(standinTag(`nginx:1.27.3@sha256:${'a'.repeat(64)}`)).toBe('nginx:1.27.3');
  });
});

describe('the authentik stand-in\'s outpost', () => {
  it('is on the auth service\'s first listen port, served through the front instead of httpd there', () => {
    expect(spec('ghcr.io/goauthentik/').outpostPort).toBe(9000);
    expect(specs.filter((s) => s.outpostPort !== undefined).map((s) => s.image)).toEqual([spec('ghcr.io/goauthentik/').image]);
    const main = mainScript([9000, 9300], [], undefined, 9000);
    expect(main).toContain('for port in 9300; do');
    expect(main).toContain('$BB nc -ll -p 9000 -e /standin/cmd/outpost-front &');
  });
});

describe('the forward-auth probe', () => {
  it('asks the outpost for every router behind the middleware, by its first host name', () => {
    const proxy = lab.hosts.find((h) => h.name === 'vm-infra')!;
    const dist = join(dir, 'proxy-dist');
    for (const a of renderTraefik(lab, proxy)) {
      mkdirSync(dirname(join(dist, a.path)), { recursive: true });
      writeFileSync(join(dist, a.path), a.content);
    }
    const routes = forwardAuthRoutes(dist);
    expect(routes.find((r) => r.router === 'grafana')).toEqual({ router: 'grafana', host: 'grafana.local', address: 'http://authentik-server:9000/outpost.goauthentik.io/auth/traefik' });
    expect(routes.map((r) => r.router)).not.toContain('jellyfin');
    expect(routes.map((r) => r.router)).not.toContain('grafana-outpost');
  });

  it('reads the first status line busybox wget -S prints', () => {
    expect(firstStatus('Connecting to x (1.2.3.4:9000)\n  HTTP/1.1 302 Found\n  Location: https://a/\n')).toBe(302);
    expect(firstStatus('wget: server returned error: HTTP/1.1 400 Bad Request')).toBe(400);
    expect(firstStatus('wget: bad address')).toBeUndefined();
  });
});
