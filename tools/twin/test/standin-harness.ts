import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool, run, type TestDockerd } from '@homelab/testing';

/** How long a container gets to become healthy or exit; generous for a loaded 2-core machine. */
export const WAIT_MS = Number(process.env.HOMELAB_TWIN_STANDIN_WAIT_MS ?? 120_000);
/**
 * Healthcheck timings for the tests: frequent checks, a generous timeout that a loaded machine can
 * raise (HOMELAB_TEST_HEALTHCHECK_TIMEOUT_SECONDS; a failing check fails fast whatever it is).
 */
export const FAST = { interval: '1s', timeout: `${Number(process.env.HOMELAB_TEST_HEALTHCHECK_TIMEOUT_SECONDS ?? 30)}s`, retries: 3 } as const;
/** vitest's bound on one test or hook of this tier (HOMELAB_SYSTEM_TEST_SECONDS, as in vitest.config.ts). */
export const BOUND_MS = Number(process.env.HOMELAB_SYSTEM_TEST_SECONDS ?? 300) * 1000;

export interface SecretFile {
  readonly name: string;
  readonly owner: readonly [number, number];
  readonly mode: number;
}

/**
 * Starts a compose v1 project (`docker-compose`, the one on this machine) whose services each
 * get their own empty network namespace (network_mode: none); its secrets are written with the
 * given owner and mode, as deploy writes them. Returns the containers by service name.
 */
export function composeUp(engine: TestDockerd, dir: string, name: string, services: Record<string, Record<string, unknown>>, secrets: readonly SecretFile[] = []): Record<string, string> {
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
    services: Object.fromEntries(Object.entries(services).map(([n, svc]) => [n, { network_mode: 'none', ...svc }])),
    ...(secrets.length ? { secrets: Object.fromEntries(secrets.map((s) => [s.name, { file: `./secrets/${s.name}` }])) } : {}),
  };
  writeFileSync(join(root, 'compose.yaml'), JSON.stringify(doc, null, 2));
  const r = run(requireTool('docker-compose'), ['-p', name, '-f', join(root, 'compose.yaml'), 'up', '-d'], { cwd: root, env: { ...process.env, DOCKER_HOST: engine.host } });
  running.push({ engine, dir, name });
  if (r.code !== 0) throw new Error(`compose up ${name}: ${r.stderr}`);
  return Object.fromEntries(Object.keys(services).map((n) => [n, `${name}_${n}_1`]));
}

/** The projects started and not yet taken down. */
const running: { engine: TestDockerd; dir: string; name: string }[] = [];

/**
 * Takes down every project started, one after the other: this dockerd (20.10) can hang removing
 * many containers at once, as stopping the engine with all of them running does.
 */
export function downAll(): void {
  for (const p of running.splice(0)) {
    const root = join(p.dir, 'projects', p.name);
    run(requireTool('docker-compose'), ['-p', p.name, '-f', join(root, 'compose.yaml'), 'down', '-t', '1'], { cwd: root, env: { ...process.env, DOCKER_HOST: p.engine.host } });
  }
}

/** One service in a project of its own, named after it. */
export function upOne(engine: TestDockerd, dir: string, name: string, service: Record<string, unknown>, secrets: readonly SecretFile[] = []): string {
  return composeUp(engine, dir, name, { [name]: { ...service, ...(secrets.length ? { secrets: secrets.map((s) => s.name) } : {}) } }, secrets)[name]!;
}

/**
 * Waits until the container is healthy, unhealthy or has exited (one without a healthcheck:
 * running for `settleMs`); returns which, with its output and its healthchecks' for the message.
 */
export async function settle(engine: TestDockerd, container: string, settleMs = 5_000): Promise<{ state: string; logs: string }> {
  const start = Date.now();
  for (;;) {
    const r = engine.docker(['inspect', '--format', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', container]);
    const [status, health] = r.stdout.trim().split(' ');
    const state =
      status === 'exited' ? 'exited' : health === 'healthy' || health === 'unhealthy' ? health : health === 'none' && status === 'running' && Date.now() - start > settleMs ? 'running' : undefined;
    if (state || Date.now() - start > WAIT_MS) {
      const logs = engine.docker(['logs', container]);
      const checks = engine.docker(['inspect', '--format', '{{if .State.Health}}{{range .State.Health.Log}}{{.ExitCode}}: {{.Output}}{{end}}{{end}}', container]).stdout;
      return { state: state ?? `still ${status} ${health ?? ''} after ${WAIT_MS} ms`, logs: `${container}: ${logs.stdout}${logs.stderr}\nhealthchecks:\n${checks}` };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
