import { makeCurrent } from './make-current.js';
import type { HostContext } from '../context.js';
import { clearPendingScript, writePendingScript, type PendingSwitch } from './converge.js';
import { DeployError, isDeployError, messageOf } from '../../common/errors.js';
import type { HistoryEntry } from '../record/record.js';
import type { ReleaseInfo } from '../release/release.js';
import { previousRelease, readReleaseInfo, type RemoteState } from '../release/remote-state.js';
import type { Session } from '../connect/session.js';
import { recordScript, switchScript, unlinkCurrentScript } from '../release/upload.js';

/** Appends one entry to the deploy record and, in the same script, removes the pending-switch marker. */
export async function appendRecord(session: Session, entry: HistoryEntry): Promise<void> {
  await session.shell.check('writing the deploy record', `${recordScript(session.layout, entry)}\n${clearPendingScript(session.layout)}`);
}

export async function markPending(session: Session, pending: PendingSwitch): Promise<void> {
  await session.shell.check('writing the pending-switch marker', writePendingScript(session.layout, pending));
}

/**
 * The releases a deploy of `next` starts from. `before` is what the host's files and containers
 * were made from (the release an interrupted run left, else `current`): what changed is measured
 * against it. `fallback` is the last release known to run healthy, returned to on failure: the
 * interrupted run's previous one, else `current`, else (re-applying `current` itself) the last good one before it.
 */
export async function startingPoint(session: Session, state: RemoteState, next: string): Promise<{ before?: ReleaseInfo; fallback?: ReleaseInfo }> {
  const read = (id: string | undefined) => (id === state.current ? Promise.resolve(state.info) : readReleaseInfo(session.shell, session.layout, id));
  if (state.pending) {
    const before = await read(state.pending.previous);
    return { ...(before ? { before, fallback: before } : {}) };
  }
  if (state.current !== next) return { ...(state.info ? { before: state.info, fallback: state.info } : {}) };
  const fallback = await read(previousRelease(state));
  return { ...(state.info ? { before: state.info } : {}), ...(fallback ? { fallback } : {}) };
}

/** After a failed activation: the previous release back up (or, on a first deploy, no `current`). Always throws. */
export async function rollBackFailed(ctx: HostContext, session: Session, failed: ReleaseInfo, previous: ReleaseInfo | undefined, cause: unknown, base: Omit<HistoryEntry, 'result'>): Promise<never> {
  const why = messageOf(cause);
  const { progress } = ctx;
  if (isDeployError(cause) && cause.code === 'start-changed-nothing') {
    // Compose started and stopped nothing: the containers are as they were; only `current` goes back.
    await session.shell.check('switching current back', previous ? switchScript(session.layout, previous.id) : unlinkCurrentScript(session.layout));
    await appendRecord(session, { ...base, result: previous ? 'rolled-back' : 'failed', error: why }).catch(() => {});
    throw new DeployError('deploy-failed', `deploying ${failed.id} to ${failed.host} failed: ${why}\nThe start changed nothing (no container was started or stopped), so there was nothing to roll back: ${previous ? `current points at ${previous.id} again` : 'current was removed'}.`);
  }
  if (!previous) {
    await session.shell.run(unlinkCurrentScript(session.layout));
    await appendRecord(session, { ...base, result: 'failed', error: why }).catch(() => {});
    throw new DeployError('deploy-failed', `deploying ${failed.id} to ${failed.host} failed: ${why}\nThere was no previous release to return to; its containers are left as they are for inspection.`);
  }
  progress.info(`deploy of ${failed.id} failed; rolling back to ${previous.id}`);
  let containers: Record<string, string> | undefined;
  try {
    containers = await makeCurrent(ctx, session, previous, failed);
  } catch (again) {
    await appendRecord(session, { ...base, result: 'failed', error: `${why}; rollback failed: ${messageOf(again)}` }).catch(() => {});
    throw new DeployError('rollback-failed', `deploying ${failed.id} to ${failed.host} failed: ${why}\nRolling back to ${previous.id} failed too: ${messageOf(again)}`);
  }
  await appendRecord(session, { ...base, result: 'rolled-back', error: why, ...(containers ? { containers } : {}) }).catch(() => {});
  throw new DeployError('deploy-rolled-back', `deploying ${failed.id} to ${failed.host} failed: ${why}\nRolled back: ${previous.id} runs again and is healthy.`);
}
