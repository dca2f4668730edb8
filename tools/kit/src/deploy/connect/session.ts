import type { Client } from 'ssh2';
import { remoteLayout, type RemoteLayout } from '../release/layout.js';
import { openShell, type RemoteShell } from '../../shell/remote-shell.js';
import { connectSsh } from './ssh.js';
import type { ResolvedTarget } from './target.js';

/** One SSH connection to the machine holding a host's releases, with its remote shell. */
export interface Session {
  readonly target: ResolvedTarget;
  readonly layout: RemoteLayout;
  readonly shell: RemoteShell;
  close(): Promise<void>;
}

export async function openSession(target: ResolvedTarget, host: string): Promise<Session> {
  const client: Client = await connectSsh(target);
  try {
    const shell = await openShell(client, `${target.name} (${target.address}:${target.port})`);
    return {
      target,
      layout: remoteLayout(target, host),
      shell,
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
