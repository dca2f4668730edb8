import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLab, type Lab, type ServiceDef } from '@homelab/kit';
import { requireTool, run, startDockerd, type TestDockerd } from '@homelab/testing';
import { buildStandinImages, standinServices, type DockerRunner } from '../src/index.js';

// The stand-ins of the real lab's images in a test dockerd, run with compose v1 in their own
// network namespaces (network_mode: none): they fail where the real images fail.
const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** How long a container gets to become healthy or exit; generous for a loaded 2-core machine. */
const WAIT_MS = Number(process.env.HOMELAB_TWIN_STANDIN_WAIT_MS ?? 120_000);
const compose = requireTool('docker-compose');

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
}, 600_000);

afterAll(async () => {
  await engine?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

interface Secret {
  readonly name: string;
  readonly owner: [number, number];
  readonly mode: number;
}

/** A compose v1 project of one service in its own empty network namespace; its secrets written as given. */
function project(name: string, svc: Record<string, unknown>, secrets: readonly Secret[] = []): string {
  const root = join(dir, 'projects', name);
  mkdirSync(join(root, 'secrets'), { recursive: true });
  for (const s of secrets) {
    const file = join(root, 'secrets', s.name);
    writeFileSync(file, `value of ${s.name}\n`);
    chownSync(file, s.owner[0], s.owner[1]);
    chmodSync(file, s.mode);
  }
  const doc = {
    version: '3.8',
    services: { [name]: { network_mode: 'none', ...svc, ...(secrets.length ? { secrets: secrets.map((s) => s.name) } : {}) } },
    ...(secrets.length ? { secrets: Object.fromEntries(secrets.map((s) => [s.name, { file: `./secrets/${s.name}` }])) } : {}),
  };
  writeFileSync(join(root, 'compose.yaml'), JSON.stringify(doc, null, 2));
  const r = run(compose, ['-p', name, '-f', join(root, 'compose.yaml'), 'up', '-d'], { cwd: root, env: { ...process.env, DOCKER_HOST: engine.host } });
  if (r.code !== 0) throw new Error(`compose up ${name}: ${r.stderr}`);
  return `${name}_${name}_1`;
}

/** Waits until the container is healthy, unhealthy, or has exited; returns which (and its logs on the way out). */
async function settle(container: string): Promise<{ state: string; logs: string }> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const r = engine.docker(['inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', container]);
    const [status, health] = r.stdout.trim().split(' ');
    const state = status === 'exited' ? 'exited' : health === 'healthy' || health === 'unhealthy' ? health : undefined;
    if (state || Date.now() > deadline) {
      const logs = engine.docker(['logs', container]);
      const checks = engine.docker(['inspect', '--format', '{{if .State.Health}}{{range .State.Health.Log}}{{.ExitCode}}: {{.Output}}{{end}}{{end}}', container]).stdout;
      return { state: state ?? `still ${status} ${health ?? ''} after ${WAIT_MS} ms`, logs: `${logs.stdout}${logs.stderr}\nhealthchecks:\n${checks}` };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const fast = { interval: '1s', timeout: '10s', retries: 3 };

describe('stand-in images', () => {
  it('are built for every image of the lab, tagged with its reference', () => {
    expect(built).toEqual(standinServices(lab).map((s) => s.image));
    const listed = engine.docker(['images', '--format', '{{.Repository}}:{{.Tag}}']).stdout.split('\n');
    for (const ref of built) expect(listed).toContain(ref);
  });

  it('run as the image\'s user: authentik (1000) cannot read a root-owned 0600 secret and exits, naming it', async () => {
    const server = service('vm-infra', 'authentik-server');
    const { state, logs } = await settle(
      project('akroot', { image: server.image, command: 'server', environment: { AUTHENTIK_SECRET_KEY: 'file:///run/secrets/ak_key' }, healthcheck: { test: server.healthcheck!.test, ...fast } }, [{ name: 'ak_key', owner: [0, 0], mode: 0o600 }]),
    );
    expect(state).toBe('exited');
    expect(logs).toContain('cannot read /run/secrets/ak_key');
  });

  it('with the secret owned by its reader (deploy\'s 1000:1000 0400), authentik is healthy', async () => {
    const server = service('vm-infra', 'authentik-server');
    const { state, logs } = await settle(
      project('akowned', { image: server.image, command: 'server', environment: { AUTHENTIK_SECRET_KEY: 'file:///run/secrets/ak_key' }, healthcheck: { test: server.healthcheck!.test, ...fast } }, [{ name: 'ak_key', owner: [1000, 1000], mode: 0o400 }]),
    );
    expect(state, logs).toBe('healthy');
  });

  it('nextcloud reads its *_FILE as www-data: a secret owned by root 0600 stops it, one owned by 33 does not', async () => {
    const nc = service('vm-apps', 'nextcloud');
    const svc = { image: nc.image, environment: { POSTGRES_PASSWORD_FILE: '/run/secrets/db' }, healthcheck: { test: nc.healthcheck!.test, ...fast } };
    expect((await settle(project('ncroot', svc, [{ name: 'db', owner: [0, 0], mode: 0o600 }]))).state).toBe('exited');
    const owned = await settle(project('ncowned', svc, [{ name: 'db', owner: [33, 33], mode: 0o400 }]));
    expect(owned.state, owned.logs).toBe('healthy');
  });

  it('nextcloud-cron: the old `busybox pgrep crond` never matches cron.sh\'s crond; the model\'s check does', async () => {
    const cron = service('vm-apps', 'nextcloud-cron');
    const svc = (test: readonly string[]) => ({ image: cron.image, entrypoint: cron.entrypoint, healthcheck: { test, ...fast } });
    const old = await settle(project('cronold', svc(['CMD', 'busybox', 'pgrep', 'crond'])));
    expect(old.state, old.logs).toBe('unhealthy');
    const now = await settle(project('cronnew', svc(cron.healthcheck!.test)));
    expect(now.state, now.logs).toBe('healthy');
  });

  it('a healthcheck on a port the service does not listen on is unhealthy (Jellyfin moved, its check left on the old port)', async () => {
    const jf = service('vm-media', 'jellyfin');
    const moved = await settle(project('jfmoved', { image: jf.image, user: jf.user, healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8097/health'], ...fast } }));
    expect(moved.state, moved.logs).toBe('unhealthy');
    const real = await settle(project('jfreal', { image: jf.image, user: jf.user, healthcheck: { test: jf.healthcheck!.test, ...fast } }));
    expect(real.state, real.logs).toBe('healthy');
  });

  it('a healthcheck calling a command the image does not ship fails (curl in distroless Wings)', async () => {
    const wings = service('vm-games', 'wings');
    const { state, logs } = await settle(project('wingscurl', { image: wings.image, healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8080/'], ...fast } }));
    expect(state, logs).toBe('unhealthy');
  });
});
