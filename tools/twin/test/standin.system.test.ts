import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSecretRef, loadLab, secretEnvValue, secretFileOwners, serviceSecrets, type Lab, type ServiceDef } from '@homelab/kit/internal';
import { startDockerd, type TestDockerd } from '@homelab/testing';
import { buildStandinImages, standinServices, type DockerRunner } from '../src/index.js';
import { BOUND_MS, composeUp, downAll, FAST, settle, upOne, type SecretFile } from './standin-harness.js';

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

  it('a healthcheck calling a command the image does not ship fails (curl in distroless Wings)', async () => {
    const wings = service('vm-games', 'wings');
    const { state, logs } = await settleIn(project('wingscurl', { image: wings.image, healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8080/'], ...fast } }));
    expect(state, logs).toBe('unhealthy');
  });
});

/** A service of the model as compose runs it here: its own image, user, entrypoint, command, environment and secrets; its healthcheck, faster. */
function asCompose(s: ServiceDef): Record<string, unknown> {
  const environment = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, isSecretRef(v) ? secretEnvValue(v) : String(v)]));
  const secrets = serviceSecrets(s).map((r) => r.name);
  return {
    image: s.image,
    ...(s.user ? { user: s.user } : {}),
    ...(s.entrypoint ? { entrypoint: s.entrypoint } : {}),
    ...(s.command ? { command: s.command } : {}),
    environment,
    ...(secrets.length ? { secrets } : {}),
    ...(s.healthcheck ? { healthcheck: { test: s.healthcheck.test, ...fast } } : {}),
  };
}

describe('the lab in its stand-ins', () => {
  const composeHosts = () => lab.hosts.filter((h) => h.services.length > 0 && h.services.every((s) => s.kind === 'service'));

  it('every service of every host is healthy (or running, without a healthcheck) with deploy\'s secret owners', async () => {
    const results: string[] = [];
    for (const host of composeHosts()) {
      const owners = secretFileOwners(host.services);
      const secrets = [...owners].map(([name, o]): SecretFile => ({ name, owner: [o.uid, o.gid], mode: Number.parseInt(o.mode, 8) }));
      const containers = composeUp(engine, dir, `lab-${host.name}`, Object.fromEntries(host.services.map((s) => [s.name, asCompose(s)])), secrets);
      for (const s of host.services) {
        const { state, logs } = await settleIn(containers[s.name]!);
        const want = s.healthcheck ? 'healthy' : 'running';
        if (state !== want) results.push(`${host.name}/${s.name}: ${state}\n${logs}`);
      }
    }
    expect(results).toEqual([]);
  }, BOUND_MS * 3);
});
