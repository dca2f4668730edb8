import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Polls `ready` until it returns true, failing with `what` after `timeoutMs`, or after
 * HOMELAB_TEST_WAIT_SECONDS when that is longer (a loaded machine gets more, never less).
 */
export async function waitFor(what: string, ready: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + Math.max(timeoutMs, Number(process.env.HOMELAB_TEST_WAIT_SECONDS ?? 0) * 1000);
  for (;;) {
    if (await ready()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A daemon this test started: stopped by its own pid (TERM, then KILL), never by name. */
export interface Daemon {
  readonly pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a daemon whose output goes straight to the file `log` (its own descriptor, not a pipe
 * this process drains): the tests call the daemon's clients synchronously, which blocks this
 * event loop, and a daemon writing more than a pipe holds meanwhile would block on its log while
 * the client waits on the daemon (dockerd was seen wedged so, `docker info` waiting 20 minutes).
 */
export function startDaemon(command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; log: string }): Daemon {
  const fd = openSync(options.log, 'a');
  const child: ChildProcess = spawn(command, args, { env: options.env ?? process.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = false;
  const done = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  return {
    pid: child.pid ?? -1,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}
