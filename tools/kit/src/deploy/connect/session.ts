import type { Client } from 'ssh2';
import { remoteLayout, type RemoteLayout } from '../release/layout.js';
import { openShell, type RemoteShell } from '../../shell/remote-shell.js';
import { DeployError } from '../../common/errors.js';
import { connectSsh } from './ssh.js';
import type { ResolvedTarget } from './target.js';

/** Where a command run with `Session.stream` writes, and what it reads. */
export interface StreamIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Passed to the command's stdin (`homelab exec`); without it the command's stdin is closed at once. */
  readonly stdin?: NodeJS.ReadableStream;
  /** A terminal of this size on the far side (an interactive `homelab exec`): its output comes on stdout alone. */
  readonly tty?: { readonly rows: number; readonly columns: number; readonly term: string };
}

/** One SSH connection to the machine holding a host's releases, with its remote shell. */
export interface Session {
  readonly target: ResolvedTarget;
  readonly layout: RemoteLayout;
  readonly shell: RemoteShell;
  /**
   * Runs one command on a channel of its own, its output passed on as it comes (logs --follow,
   * exec): resolves with its exit code (128 + the signal's number when a signal ended it).
   */
  stream(command: string, io: StreamIo): Promise<number>;
  close(): Promise<void>;
}

const SIGNALS: Readonly<Record<string, number>> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, PIPE: 13, TERM: 15 };

function streamOver(client: Client, label: string, command: string, io: StreamIo): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = io.tty ? { pty: { rows: io.tty.rows, cols: io.tty.columns, term: io.tty.term } } : {};
    client.exec(command, options, (err, channel) => {
      if (err) return reject(new DeployError('connection-lost', `running a command on ${label}: ${err.message}`));
      let code = -1;
      channel.on('exit', (c: number | null, signal?: string) => {
        code = c ?? 128 + (SIGNALS[signal ?? ''] ?? 0);
      });
      channel.on('data', (d: Buffer) => io.stdout.write(d));
      channel.stderr.on('data', (d: Buffer) => io.stderr.write(d));
      channel.on('close', () => {
        io.stdin?.unpipe(channel);
        resolve(code);
      });
      if (io.stdin) io.stdin.pipe(channel);
      else channel.end();
    });
  });
}

export async function openSession(target: ResolvedTarget, host: string): Promise<Session> {
  const client: Client = await connectSsh(target);
  const label = `${target.name} (${target.address}:${target.port})`;
  try {
    const shell = await openShell(client, label);
    return {
      target,
      layout: remoteLayout(target, host),
      shell,
      stream: (command, io) => streamOver(client, label, command, io),
      async close() {
        await shell.close();
        client.end();
      },
    };
  } catch (e) {
    client.end();
    throw e;
  }
}

export function describeTarget(t: ResolvedTarget): string {
  return `${t.user}@${t.address}:${t.port}`;
}
