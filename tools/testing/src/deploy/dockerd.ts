import { mkdirSync, readFileSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool, run } from '../tools.js';
import { startDaemon, waitFor, type Daemon } from './processes.js';
import { missingCapabilities, runtimeFlags } from './capabilities.js';
import { storageDriverFlags } from './storage-driver.js';

/** How long removing the containers may take at teardown, in all, before the rest is left to the daemon's own stop. */
const REMOVE_TIMEOUT_MS = Number(process.env.HOMELAB_TEST_DOCKER_RM_MS ?? 90_000);

export interface TestDockerd extends Daemon {
  readonly socket: string;
  /** DOCKER_HOST for this engine. */
  readonly host: string;
  docker(args: readonly string[]): { code: number; stdout: string; stderr: string };
}

/**
 * Debian's dockerd for this test only: its own data root, exec root, pid file and socket; no
 * iptables, no bridge (containers use the host's network or none), overlay2 storage (storage-driver.ts).
 */
export async function startDockerd(dir: string): Promise<TestDockerd> {
  const dockerd = requireTool('dockerd');
  const docker = requireTool('docker');
  requireTool('docker-init'); // compose's `init: true`
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, 'docker.sock');
  const host = `unix://${socket}`;
  const daemon = startDaemon(
    dockerd,
    // A privileged container on a machine that withholds a capability fails to start, and such a
    // half-started container wedged dockerd 20.10 at teardown: the runtime drops only the withheld ones.
    ['--iptables=false', '--ip6tables=false', '--bridge=none', ...storageDriverFlags(), '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'docker.pid'), '--host', host, ...runtimeFlags(dir, missingCapabilities())],
    { log: join(dir, 'dockerd.log') },
  );
  const cli = (args: readonly string[], timeout?: number) => run(docker, args, { env: { ...process.env, DOCKER_HOST: host }, ...(timeout ? { timeout } : {}) });
  // Each try bounded: a client waiting on a daemon that never answers would block this event loop for good.
  await waitFor('dockerd', () => cli(['info', '--format', '{{.ServerVersion}}'], 15_000).code === 0, 60_000);
  return {
    ...daemon,
    socket,
    host,
    docker: cli,
    async stop() {
      const all = cli(['ps', '-aq']).stdout.split('\n').filter(Boolean);
      // One at a time, each bounded: dockerd 20.10 was seen to hang removing twenty at once on a loaded machine.
      const deadline = Date.now() + REMOVE_TIMEOUT_MS;
      for (const id of all) if (Date.now() < deadline) cli(['rm', '-f', id], Math.max(1000, deadline - Date.now()));
      await daemon.stop();
      unmountUnder(dir);
    },
  };
}

/** dockerd leaves its network namespace mounted under its exec root; unmount what it left under `dir`. */
function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${dir}/`))
    .sort()
    .reverse();
  for (const m of mounts) run('umount', ['-l', m]);
}

/** An image made with `docker import` from busybox-static: sh, httpd, wget and a page to serve. */
export function importBusybox(engine: TestDockerd, dir: string, tag = 'homelab-fixture/busybox:1'): string {
  const busybox = requireTool('busybox');
  const root = join(dir, 'rootfs');
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'www'), { recursive: true });
  run('cp', [busybox, join(root, 'bin', 'busybox')]);
  for (const applet of ['sh', 'httpd', 'wget', 'sleep', 'cat', 'ls', 'true', 'false']) symlinkSync('busybox', join(root, 'bin', applet));
  writeFileSync(join(root, 'www', 'index.html'), 'ok\n');
  const tar = join(dir, 'rootfs.tar');
  const t = run('tar', ['-C', root, '-cf', tar, '.']);
  if (t.code !== 0) throw new Error(`tar: ${t.stderr}`);
  const r = engine.docker(['import', tar, tag]);
  if (r.code !== 0) throw new Error(`docker import: ${r.stderr}`);
  return tag;
}
