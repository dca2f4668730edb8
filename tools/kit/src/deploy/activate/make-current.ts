import { activate } from './on-guest.js';
import { activateOnNode } from './through-node.js';
import type { HostContext } from '../context.js';
import type { ReleaseFiles } from './guest.js';
import { servicesToRecreate } from '../release/release-compose.js';
import type { ReleaseInfo } from '../release/release.js';
import { readRemoteFiles } from '../release/remote-state.js';
import { GUEST_KINDS } from '../release/placement.js';
import type { Session } from '../connect/session.js';

/** The guest definition files of a release kept on the host, read back (nothing that holds a secret). */
export async function remoteReleaseFiles(session: Session, info: ReleaseInfo): Promise<ReleaseFiles> {
  const paths = info.manifest.artifacts.filter((a) => GUEST_KINDS.has(a.kind)).map((a) => a.path);
  const files = await readRemoteFiles(session.shell, session.layout.release(info.id), paths);
  return { manifest: info.manifest, files };
}

/**
 * Makes `next` the running release, whichever way the host is deployed: compose over SSH, or
 * pct through its Proxmox node. `files` is the release's content when it is at hand. Returns the
 * healthy containers' compose config hashes, for the record (compose over SSH only).
 */
export async function makeCurrent(ctx: HostContext, session: Session, next: ReleaseInfo, before: ReleaseInfo | undefined, files?: ReleaseFiles): Promise<Record<string, string> | undefined> {
  if (session.target.via === 'proxmox') {
    await activateOnNode(ctx, session, next, before, files ?? (await remoteReleaseFiles(session, next)));
    return undefined;
  }
  return activate(session, next, before, servicesToRecreate(next, before), ctx.progress);
}
