import { hostname } from 'node:os';
import type { HostContext } from '../context.js';
import { acquireLock } from './acquire.js';
import { readRemoteState, type RemoteState } from '../release/remote-state.js';
import { describeTarget, openSession, type Session } from '../connect/session.js';

/**
 * Connects, takes the host's lock and reads what it runs, in one round trip (the state is read
 * right behind the lock; again after a wait). Closing the session drops the lock.
 */
export async function lockedSession(
  ctx: HostContext,
  action: 'deploy' | 'rollback' | 'restore',
  connecting: Promise<Session> = openSession(ctx.target, ctx.host),
): Promise<{ session: Session; state: RemoteState; release(): Promise<void> }> {
  const { target, progress, host } = ctx;
  const session = await progress.step(`connect to ${host} (${describeTarget(target)})`, () => connecting);
  try {
    const { lock, state } = await progress.step(`lock ${host} and read what it runs`, async (step) => {
      const info = { action, by: ctx.record.by, commit: ctx.record.commit, since: ctx.record.at, pid: process.pid, client: hostname() };
      const locking = acquireLock(session.shell, session.layout, host, info, ctx.request.waitSeconds ?? 0, (holder) => step.note(`waiting up to ${ctx.request.waitSeconds}s for the ${holder}`));
      const reading = readRemoteState(session.shell, session.layout);
      const [lock, early] = await Promise.all([locking, reading.catch((e: unknown) => e as Error)]);
      if (early instanceof Error) throw early;
      return { lock, state: lock.waited ? await readRemoteState(session.shell, session.layout) : early };
    });
    if (lock.takenOver) progress.info(`note: the lock was held by a run whose process is gone (${lock.takenOver}), most likely cut off without the host noticing; its shell on the host was stopped and the lock taken over.`);
    if (lock.stale) progress.info(`note: a stale lock was left by a run that ended without releasing it (${lock.stale}); taken over.`);
    return {
      session,
      state,
      async release() {
        await lock.release().catch(() => {});
        await session.close();
      },
    };
  } catch (e) {
    await session.close();
    throw e;
  }
}

