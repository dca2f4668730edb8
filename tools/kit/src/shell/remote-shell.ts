import { randomBytes } from 'node:crypto';
import type { Client, ClientChannel } from 'ssh2';
import { DeployError } from '../common/errors.js';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * One `sh` on the remote machine, kept open for the whole deploy: every step is a script sent on
 * its stdin, so a step costs a round trip, not a new session. Scripts arrive as one compound
 * command, which sh parses whole before running: a connection cut halfway runs none of it.
 */
export interface RemoteShell {
  /** Runs a script in a subshell with `set -e`; stdin is /dev/null. */
  run(script: string): Promise<RunResult>;
  /** Runs a script in the shell itself (for the lock, whose file descriptor must outlive the step). */
  runInShell(script: string): Promise<RunResult>;
  /** Like run, but a non-zero exit throws a DeployError with `what` and the script's stderr. */
  check(what: string, script: string): Promise<string>;
  close(): Promise<void>;
  readonly closed: boolean;
}

/** The file descriptor the deploy lock is held on; every other step runs with it closed. */
export const LOCK_FD = 7;

/** A step as it goes over the wire: one subshell with `set -e`, then its exit code behind `marker`. */
export function wireText(script: string, marker: string, inShell = false): string {
  const body = inShell ? `{\n${script}\n}` : `(\nset -e\n${script}\n) </dev/null ${LOCK_FD}>&-`;
  return `${body}\n__hl_rc=$?; printf '\\n%s %s\\n' ${marker} "$__hl_rc"; printf '\\n%s\\n' ${marker} >&2\n`;
}

interface Pending {
  readonly marker: string;
  out?: string;
  err?: string;
  code?: number;
  resolve(r: RunResult): void;
  reject(e: Error): void;
}

function openChannel(client: Client): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec('exec /bin/sh -s', (err, channel) => (err ? reject(err) : resolve(channel)));
  });
}

/** The streams of a running `sh -s`: an SSH channel, or (in tests) a local child process. */
export interface ShellStreams {
  write(text: string): void;
  end(): void;
  onStdout(listener: (chunk: Buffer) => void): void;
  onStderr(listener: (chunk: Buffer) => void): void;
  onClose(listener: () => void): void;
}

export async function openShell(client: Client, label: string): Promise<RemoteShell> {
  const channel = await openChannel(client);
  const streams: ShellStreams = {
    write: (text) => void channel.write(text),
    end: () => void channel.end(),
    onStdout: (l) => void channel.on('data', l),
    onStderr: (l) => void channel.stderr.on('data', l),
    onClose: (l) => void channel.on('close', l),
  };
  const shell = shellOver(streams, label);
  const lost = (e?: Error) => shell.fail(new DeployError('connection-lost', `the connection to ${label} was lost${e ? `: ${e.message}` : ''}.`));
  client.on('error', lost);
  client.on('close', () => lost());
  return shell;
}

/** The remote-shell protocol over any `sh -s`: scripts in, output split by per-script markers. */
export function shellOver(channel: ShellStreams, label: string): RemoteShell & { fail(e: Error): void } {
  const queue: Pending[] = [];
  let stdout = '';
  let stderr = '';
  let closed = false;
  let failure: Error | undefined;

  const settle = () => {
    const head = queue[0];
    if (!head) return;
    if (head.out === undefined) {
      const m = stdout.indexOf(`\n${head.marker} `);
      if (m >= 0) {
        const end = stdout.indexOf('\n', m + 1 + head.marker.length + 1);
        if (end >= 0) {
          head.out = stdout.slice(0, m);
          head.code = Number(stdout.slice(m + head.marker.length + 2, end));
          stdout = stdout.slice(end + 1);
        }
      }
    }
    if (head.err === undefined) {
      const m = stderr.indexOf(`\n${head.marker}\n`);
      if (m >= 0) {
        head.err = stderr.slice(0, m);
        stderr = stderr.slice(m + head.marker.length + 2);
      }
    }
    if (head.out !== undefined && head.err !== undefined) {
      queue.shift();
      head.resolve({ code: head.code ?? -1, stdout: head.out, stderr: head.err });
      settle();
    }
  };

  const fail = (e: Error) => {
    failure ??= e;
    closed = true;
    for (const p of queue.splice(0)) p.reject(failure);
  };

  channel.onStdout((d) => {
    stdout += d.toString('utf8');
    settle();
  });
  channel.onStderr((d) => {
    stderr += d.toString('utf8');
    settle();
  });
  channel.onClose(() => fail(new DeployError('connection-lost', `the connection to ${label} was lost.`)));

  const send = (script: string, inShell: boolean): Promise<RunResult> => {
    if (closed || failure) return Promise.reject(failure ?? new DeployError('connection-lost', `the connection to ${label} is closed.`));
    const marker = `__HL_END_${randomBytes(8).toString('hex')}`;
    return new Promise<RunResult>((resolve, reject) => {
      queue.push({ marker, resolve, reject });
      channel.write(wireText(script, marker, inShell));
    });
  };

  const shell: RemoteShell & { fail(e: Error): void } = {
    fail,
    get closed() {
      return closed;
    },
    run: (script) => send(script, false),
    runInShell: (script) => send(script, true),
    async check(what, script) {
      const r = await shell.run(script);
      if (r.code !== 0) {
        const detail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-12).join('\n');
        throw new DeployError('remote-command-failed', `${what} failed on ${label} (exit ${r.code})${detail ? `:\n${detail}` : '.'}`);
      }
      return r.stdout;
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        channel.onClose(() => resolve());
        channel.end();
        setTimeout(resolve, 2000).unref();
      });
    },
  };
  return shell;
}
