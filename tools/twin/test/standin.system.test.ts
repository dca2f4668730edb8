import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadLab, renderAuthentik, renderHomepage, type Lab, type ServiceDef } from '@homelab/kit/internal';
import { startDockerd, type TestDockerd } from '@homelab/testing';
import { buildStandinImages, OUTPOST_TRAEFIK_PATH, realDaemonOf, standinServices, type DockerRunner } from '../src/index.js';
import { BOUND_MS, downAll, FAST, settle, upOne, WAIT_MS, type SecretFile } from './standin-harness.js';

// The stand-ins of the real lab's images in a test dockerd, run with compose v1 in their own
// network namespaces (network_mode: none): they fail where the real images fail.
const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

let lab: Lab;
let dir: string;
let engine: TestDockerd;
let built: string[];

const service = (host: string, name: string): ServiceDef => lab.hosts.find((h) => h.name === host)!.services.find((s) => s.name === name)!;

beforeAll(async () => {
  lab = (await loadLab(workspaceRoot)).lab;
  dir = mkdtempSync(join(tmpdir(), 'homelab-standin-'));
  engine = await startDockerd(join(dir, 'docker'));
  const docker: DockerRunner = async (args) => engine.docker(args);
  built = await buildStandinImages(docker, join(dir, 'images'), lab);
}, BOUND_MS * 2);

// Taking every project down is slow on a loaded machine (one docker-compose per project): generous.
afterEach(() => downAll(), BOUND_MS * 2);

afterAll(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
}, BOUND_MS);

const fast = FAST;
/**
 * For the real daemons: the same checks after a start period (failures in it do not count), since
 * initdb or a first start takes what the machine gives it; a daemon that never answers is still
 * unhealthy once the period (the harness's own bound, WAIT_MS) is over.
 */
const startup = { ...FAST, start_period: `${Math.round(WAIT_MS / 1000)}s` };
const project = (name: string, svc: Record<string, unknown>, secrets: readonly SecretFile[] = []) => upOne(engine, dir, name, svc, secrets);
const settleIn = (container: string) => settle(engine, container);

describe('stand-in images', () => {
  it('are built for every image of the lab, tagged with its reference', () => {
    expect(built).toEqual(standinServices(lab).map((s) => s.image));
    const listed = engine.docker(['images', '--format', '{{.Repository}}:{{.Tag}}']).stdout.split('\n');
    for (const ref of built) expect(listed).toContain(ref);
  });

  it('run as the image\'s user: authentik (1000) cannot read a root-owned 0600 secret and exits, naming it', async () => {
    const server = service('vm-infra', 'authentik-server');
    const { state, logs } = await settleIn(
      project('akroot', { image: server.image, command: 'server', environment: { AUTHENTIK_SECRET_KEY: 'file:///run/secrets/ak_key' }, healthcheck: { test: server.healthcheck!.test, ...fast } }, [{ name: 'ak_key', owner: [0, 0], mode: 0o600 }]),
    );
    expect(state).toBe('exited');
    expect(logs).toContain('cannot read /run/secrets/ak_key');
  });

  it('with the secret owned by its reader (deploy\'s 1000:1000 0400), authentik is healthy', async () => {
    const server = service('vm-infra', 'authentik-server');
    const { state, logs } = await settleIn(
      project('akowned', { image: server.image, command: 'server', environment: { AUTHENTIK_SECRET_KEY: 'file:///run/secrets/ak_key' }, healthcheck: { test: server.healthcheck!.test, ...fast } }, [{ name: 'ak_key', owner: [1000, 1000], mode: 0o400 }]),
    );
    expect(state, logs).toBe('healthy');
  });

  it('nextcloud reads its *_FILE as www-data: a secret owned by root 0600 stops it, one owned by 33 does not', async () => {
    const nc = service('vm-apps', 'nextcloud');
    const svc = { image: nc.image, environment: { POSTGRES_PASSWORD_FILE: '/run/secrets/db' }, healthcheck: { test: nc.healthcheck!.test, ...fast } };
    expect((await settleIn(project('ncroot', svc, [{ name: 'db', owner: [0, 0], mode: 0o600 }]))).state).toBe('exited');
    const owned = await settleIn(project('ncowned', svc, [{ name: 'db', owner: [33, 33], mode: 0o400 }]));
    expect(owned.state, owned.logs).toBe('healthy');
  });

  it('nextcloud-cron: the old `busybox pgrep crond` never matches cron.sh\'s crond; the model\'s check does', async () => {
    const cron = service('vm-apps', 'nextcloud-cron');
    const svc = (test: readonly string[]) => ({ image: cron.image, entrypoint: cron.entrypoint, healthcheck: { test, ...fast } });
    const old = await settleIn(project('cronold', svc(['CMD', 'busybox', 'pgrep', 'crond'])));
    expect(old.state, old.logs).toBe('unhealthy');
    const now = await settleIn(project('cronnew', svc(cron.healthcheck!.test)));
    expect(now.state, now.logs).toBe('healthy');
  });

  it('a healthcheck on a port the service does not listen on is unhealthy (Jellyfin moved, its check left on the old port)', async () => {
    const jf = service('vm-media', 'jellyfin');
    const moved = await settleIn(project('jfmoved', { image: jf.image, user: jf.user, healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8097/health'], ...fast } }));
    expect(moved.state, moved.logs).toBe('unhealthy');
    const real = await settleIn(project('jfreal', { image: jf.image, user: jf.user, healthcheck: { test: jf.healthcheck!.test, ...fast } }));
    expect(real.state, real.logs).toBe('healthy');
  });

  it('the outpost answers forward auth from the mounted blueprints: 400 without them or for a host no provider covers, 302 to the login for a covered one, and for a session what the application\'s group bindings allow', async () => {
    const server = service('vm-infra', 'authentik-server');
    const infra = lab.hosts.find((h) => h.name === 'vm-infra')!;
    const blueprints = join(dir, 'blueprints');
    mkdirSync(blueprints, { recursive: true });
    for (const a of renderAuthentik(lab, infra)) writeFileSync(join(blueprints, a.path.split('/').pop()!), a.content);
    const ask = (container: string, host: string, cookie?: string) =>
      engine.docker(['exec', container, '/standin/busybox', 'wget', '-S', '-O', '/dev/null', '--header', `X-Forwarded-Host: ${host}`, '--header', 'X-Forwarded-Uri: /', ...(cookie ? ['--header', `Cookie: ${cookie}`] : []), `http://127.0.0.1:9000${OUTPOST_TRAEFIK_PATH}`]).stderr;
    const bare = project('akbare', { image: server.image, command: 'server' });
    expect((await settleIn(bare)).state).toBe('running');
    expect(ask(bare, 'grafana.local')).toMatch(/HTTP\/1\.[01] 400/);
    const mounted = project('akbp', { image: server.image, command: 'server', volumes: [`${blueprints}:/blueprints/custom:ro`] });
    expect((await settleIn(mounted)).state).toBe('running');
    expect(ask(mounted, 'grafana.local')).toMatch(/HTTP\/1\.[01] 302[^]*Location: https:\/\/grafana\.local\/outpost\.goauthentik\.io\/start\?rd=https:\/\/grafana\.local\//);
    expect(ask(mounted, 'portainer.home.arpa')).toMatch(/HTTP\/1\.[01] 302/);
    expect(ask(mounted, 'jellyfin.local')).toMatch(/HTTP\/1\.[01] 400/);
    // A signed-in session: the application's group bindings decide (a household account is refused at Portainer).
    expect(ask(mounted, 'portainer.local', 'twin_session=lab-users')).toMatch(/HTTP\/1\.[01] 403/);
    expect(ask(mounted, 'portainer.local', 'twin_session=lab-admins')).toMatch(/HTTP\/1\.[01] 200/);
    expect(ask(mounted, 'grafana.local', 'twin_session=lab-users')).toMatch(/HTTP\/1\.[01] 200/);
    expect(ask(mounted, 'grafana.local', 'other=1; twin_session=guests')).toMatch(/HTTP\/1\.[01] 403/);
    // The rest of the port is the stand-in's usual pages: the healthcheck's path answers.
    expect(engine.docker(['exec', mounted, '/standin/busybox', 'wget', '-q', '-O', '-', 'http://127.0.0.1:9000/-/health/live/']).stdout).toContain('standin_up 1');
  });

  it("the start page answers as Homepage from its read-only config: the routes it lists, 400 for a Host it does not allow, an exit for a missing file, nothing for a key it cannot read", async () => {
    const page = service('vm-infra', 'homepage');
    const infra = lab.hosts.find((h) => h.name === 'vm-infra')!;
    const full = join(dir, 'homepage-full');
    mkdirSync(full, { recursive: true });
    for (const a of renderHomepage(lab, infra)) writeFileSync(join(full, a.path.split('/').pop()!), a.content);
    const env = { ...Object.fromEntries(Object.entries(page.environment ?? {}).filter(([, v]) => typeof v !== 'object')), HOMEPAGE_FILE_SONARR_API_KEY: '/run/secrets/sonarr_api_key', HOMEPAGE_FILE_RADARR_API_KEY: '/run/secrets/radarr_api_key', HOMEPAGE_FILE_PROWLARR_API_KEY: '/run/secrets/prowlarr_api_key' };
    const keys: SecretFile[] = ['sonarr_api_key', 'radarr_api_key', 'prowlarr_api_key'].map((name) => ({ name, owner: [1000, 1000], mode: 0o400 }));
    const svc = (config: string, extra: Record<string, unknown> = {}) => ({ image: page.image, user: '1000:1000', environment: env, volumes: [`${config}:/app/config:ro`], secrets: keys.map((k) => k.name), healthcheck: { test: page.healthcheck!.test, ...fast }, ...extra });
    const get = (container: string, host: string, path: string) => engine.docker(['exec', container, '/standin/busybox', 'wget', '-S', '-q', '-O', '-', '--header', `Host: ${host}`, `http://127.0.0.1:3000${path}`]);

    const ok = project('hpok', svc(full), keys);
    expect((await settleIn(ok)).state).toBe('healthy');
    const listed = JSON.parse(get(ok, 'home.local', '/api/services').stdout) as { name: string; services: { name: string; href: string; widget?: { type: string } }[] }[];
    expect(listed.map((g) => g.name)).toContain('vm-media');
    const media = listed.find((g) => g.name === 'vm-media')!.services;
    expect(media.find((s) => s.name === 'sonarr')).toMatchObject({ href: 'https://sonarr.local', widget: { type: 'sonarr' } });
    expect(get(ok, 'home.home.arpa', '/api/services').stdout).toContain('https://jellyfin.local');
    expect(get(ok, 'home.local', '/api/validate').stdout).toBe('[]');
    const refused = get(ok, 'evil.example', '/api/services');
    expect(refused.stderr).toMatch(/HTTP\/1\.[01] 400/);
    expect(engine.docker(['logs', ok]).stderr).toContain('Host validation failed for: evil.example');

    // Without the route's names in HOMEPAGE_ALLOWED_HOSTS the page's API refuses its own name.
    const narrow = project('hpnarrow', svc(full, { environment: { ...env, HOMEPAGE_ALLOWED_HOSTS: 'home.local' } }), keys);
    expect((await settleIn(narrow)).state).toBe('healthy');
    expect(get(narrow, 'home.home.arpa', '/api/services').stderr).toMatch(/HTTP\/1\.[01] 400/);

    // A key file the user cannot read: Homepage fails services.yaml as a whole and lists nothing.
    const unreadable = project('hpkey', svc(full), keys.map((k) => ({ ...k, owner: [0, 0] as const })));
    const u = await settleIn(unreadable);
    expect(u.state, u.logs).toBe('exited'); // the stand-in's main reads every secret at start, as the real one reads them per request
    // A read-only config without one of Homepage's files: the first page request ends the server.
    const partial = join(dir, 'homepage-partial');
    mkdirSync(partial, { recursive: true });
    for (const a of renderHomepage(lab, infra).filter((a) => !a.path.endsWith('custom.js'))) writeFileSync(join(partial, a.path.split('/').pop()!), a.content);
    const missing = project('hpmissing', svc(partial), keys);
    expect((await settleIn(missing)).state).toBe('healthy');
    get(missing, 'home.local', '/api/hash');
    const status = () => engine.docker(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', missing]).stdout.trim();
    for (const until = Date.now() + WAIT_MS; status().startsWith('running') && Date.now() < until;) await new Promise((r) => setTimeout(r, 500));
    expect(status(), JSON.stringify(engine.docker(['logs', missing]))).toBe('exited 1');
    expect(engine.docker(['logs', missing]).stderr).toContain('Failed to initialize required config: /app/config/custom.js');
    // Logging to a file in the read-only folder: the API answers 500.
    const logfile = project('hplog', svc(full, { environment: { ...env, LOG_TARGETS: 'both' } }), keys);
    expect((await settleIn(logfile)).state).toBe('healthy');
    expect(get(logfile, 'home.local', '/api/services').stderr).toMatch(/HTTP\/1\.[01] 500/);
  });

  it('a healthcheck calling a command the image does not ship fails (curl in distroless Wings)', async () => {
    const wings = service('vm-games', 'wings');
    const { state, logs } = await settleIn(project('wingscurl', { image: wings.image, healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8080/'], ...fast } }));
    expect(state, logs).toBe('unhealthy');
  });
});

describe('real daemons (Debian\'s, where it ships the image\'s daemon)', () => {
  // The entrypoint execs the daemon: PID 1 is it, as the user it dropped to.
  const uidOf = (container: string) => /^Uid:\s+(\d+)/m.exec(engine.docker(['exec', container, 'cat', '/proc/1/status']).stdout)?.[1];

  it('the lab\'s redis and valkey images are redis-server 7, as the image\'s user, answering their own CLI\'s ping', async () => {
    for (const [host, name] of [['vm-apps', 'nextcloud-redis'], ['vm-apps', 'immich-valkey'], ['vm-infra', 'redis']] as const) {
      const s = service(host, name);
      expect(realDaemonOf(s.image)?.name, s.image).toBe('redis-server');
      const c = project(name.replace(/-/g, ''), { image: s.image, ...(s.command ? { command: s.command } : {}), volumes: [`${join(dir, 'data', name)}:/data`], healthcheck: { test: s.healthcheck!.test, ...startup } });
      const { state, logs } = await settleIn(c);
      expect(state, logs).toBe('healthy');
      expect(logs).toMatch(/Redis version=7\./);
      expect(uidOf(c)).toBe('999');
      const cli = s.healthcheck!.test[1]!;
      expect(engine.docker(['exec', c, cli, 'ping']).stdout.trim()).toBe('PONG');
      // compose's arguments reach the real server
      if (s.command?.includes('--appendonly')) expect(engine.docker(['exec', c, cli, 'config', 'get', 'appendonly']).stdout).toContain(s.command[s.command.indexOf('--appendonly') + 1]!);
    }
  });

  it('the lab\'s postgres images are postgresql 15 initialised from POSTGRES_* as the official image does, with pg_isready real', async () => {
    const pg = service('vm-apps', 'nextcloud-postgres');
    expect(realDaemonOf(pg.image)?.name).toBe('postgresql');
    expect(realDaemonOf(service('vm-apps', 'immich-postgres').image), 'immich\'s vector-extension postgres keeps its stand-in').toBeUndefined();
    const env = { POSTGRES_DB: 'nextcloud', POSTGRES_USER: 'nextcloud', POSTGRES_PASSWORD_FILE: '/run/secrets/db' };
    // A slow first start: an init script that takes 15 s, run (as upstream runs them) while the
    // temporary server answers on the Unix socket alone. The model's healthcheck, checked every
    // second, must not call it healthy before the real server is up: a check on the socket did
    // (healthcheck-pg-isready-socket), and Nextcloud then met no database.
    const initdb = join(dir, 'pg-initdb');
    mkdirSync(initdb, { recursive: true });
    writeFileSync(join(initdb, 'slow.sh'), '#!/bin/sh\nsleep 15\necho slow init done\n', { mode: 0o755 });
    const c = project('pgowned', { image: pg.image, environment: env, volumes: [`${join(dir, 'data', 'pg')}:/var/lib/postgresql/data`, `${initdb}:/docker-entrypoint-initdb.d:ro`], healthcheck: { test: pg.healthcheck!.test, ...startup } }, [{ name: 'db', owner: [0, 0], mode: 0o400 }]);
    const { state, logs } = await settleIn(c);
    expect(state, logs).toBe('healthy');
    expect(logs).toContain('slow init done');
    expect(logs, 'healthy before the init finished: the check asked the temporary server').toContain('PostgreSQL init process complete');
    expect(uidOf(c)).toBe('70');
    // the database and its owner exist, with the secret as its password (initdb's local trust
    // stays, as in the official image; other hosts need the password)
    const q = engine.docker(['exec', c, 'psql', '-h', '127.0.0.1', '-U', 'nextcloud', '-d', 'nextcloud', '-tAc', "select current_user, rolpassword like 'SCRAM-SHA-256$%', version() from pg_authid where rolname = current_user"]);
    expect(q.stdout, q.stderr).toMatch(/^nextcloud\|t\|PostgreSQL 15\./);
    expect(engine.docker(['exec', c, 'tail', '-n', '1', '/var/lib/postgresql/data/pg_hba.conf']).stdout.trim()).toBe('host all all all scram-sha-256');
  });

  it('postgres reads POSTGRES_PASSWORD_FILE as the user it starts as: run as 70 (compose `user`), a root-owned 0600 secret stops it', async () => {
    const pg = service('vm-infra', 'authentik-postgres');
    const env = { POSTGRES_DB: 'authentik', POSTGRES_USER: 'authentik', POSTGRES_PASSWORD_FILE: '/run/secrets/db' };
    const svc = { image: pg.image, user: '70:70', environment: env, volumes: [`${join(dir, 'data', 'pg70')}:/var/lib/postgresql/data`], healthcheck: { test: pg.healthcheck!.test, ...startup } };
    mkdirSync(join(dir, 'data', 'pg70'), { recursive: true });
    chownSync(join(dir, 'data', 'pg70'), 70, 70);
    const root = await settleIn(project('pgroot', svc, [{ name: 'db', owner: [0, 0], mode: 0o600 }]));
    expect(root.state, root.logs).toBe('exited');
    expect(root.logs).toMatch(/\/run\/secrets\/db: Permission denied/);
    const owned = await settleIn(project('pg70', svc, [{ name: 'db', owner: [70, 70], mode: 0o400 }]));
    expect(owned.state, owned.logs).toBe('healthy');
  });

  it('alertmanager is Debian\'s 0.25, fed the rendered file with url_file inlined; node-exporter is Debian\'s 1.5, both healthy by their own checks', async () => {
    const am = service('vm-infra', 'alertmanager');
    const conf = join(dir, 'am-conf');
    mkdirSync(conf, { recursive: true });
    writeFileSync(join(conf, 'alertmanager.yml'), readFileSync(join(workspaceRoot, 'packages/vm-infra/test/golden/alertmanager/alertmanager.yml'), 'utf8'));
    const [uid, gid] = am.user!.split(':').map(Number) as [number, number];
    mkdirSync(join(dir, 'data', 'am'), { recursive: true });
    chownSync(join(dir, 'data', 'am'), uid, gid);
    // network_mode none has no private address for the gossip mesh (any Alertmanager exits on it):
    // clustering off here; in the twin the container is on its compose network.
    const c = project('amreal', { image: am.image, user: am.user, command: [...am.command!, '--cluster.listen-address='], volumes: [`${conf}:/etc/alertmanager:ro`, `${join(dir, 'data', 'am')}:/alertmanager`], healthcheck: { test: am.healthcheck!.test, ...startup } }, [{ name: 'alertmanager_webhook_url', owner: [uid, gid], mode: 0o400 }]);
    const { state, logs } = await settleIn(c);
    expect(state, logs).toBe('healthy');
    expect(logs).toContain('alertmanager 0.25 reads url inline from /run/secrets/alertmanager_webhook_url');
    expect(engine.docker(['exec', c, 'wget', '-q', '-O', '-', 'http://127.0.0.1:9093/api/v2/status']).stdout).toContain('"version":"0.25.0');
    // The harness's secret is no URL: 0.25 would refuse it at load, the newer one only when it notifies.
    expect(logs).toContain('twin: /run/secrets/alertmanager_webhook_url is not a URL (url_file)');
    expect(engine.docker(['exec', c, 'cat', '/tmp/alertmanager-0.25.yml']).stdout).toMatch(/^ {6}- url: 'http:\/\/127\.0\.0\.1:1\/not-a-url'$/m);

    const ne = service('vm-infra', 'node-exporter');
    const n = project('nereal', { image: ne.image, command: ne.command, volumes: ['/:/host:ro'], healthcheck: { test: ne.healthcheck!.test, ...startup } });
    const ns = await settleIn(n);
    expect(ns.state, ns.logs).toBe('healthy');
    expect(uidOf(n)).toBe('65534');
    expect(engine.docker(['exec', n, 'wget', '-q', '-O', '-', 'http://127.0.0.1:9100/metrics']).stdout).toMatch(/node_exporter_build_info\{[^}]*version="1\.5\./);
  });
});

// Every service of every host healthy with deploy's secret owners is the lab twin's container and
// secret probes (tools/twin/src/probes/containers.ts), reached through the real `homelab deploy`.
