import { makeCurrent } from '../activate/make-current.js';
import { hostContext, type DeployRequest } from '../context.js';
import { appendRecord, markPending } from '../activate/recover.js';
import { lockedSession } from '../lock/locked-session.js';
import { DeployError, messageOf } from '../../common/errors.js';
import { previousRelease, readReleaseInfo } from '../release/remote-state.js';
import { keptReleaseDamage, manifestHashes } from '../release/kept-release.js';

export interface RollbackResult {
  readonly host: string;
  readonly release: string;
  readonly from: string;
}

/** Re-applies the release that ran before the current one (still kept on the host). */
export async function rollbackHost(request: DeployRequest): Promise<RollbackResult> {
  const ctx = hostContext(request);
  const { host, progress } = ctx;
  const { session, state, release } = await lockedSession(ctx, 'rollback');
  try {
    const target = previousRelease(state);
    if (!state.current || !state.info) throw new DeployError('rollback-nothing', `${host} runs no release yet: nothing to roll back.`);
    if (!target) throw new DeployError('rollback-nothing', `${host} keeps no earlier good release than ${state.current}: nothing to roll back to.`);
    const info = await readReleaseInfo(session.shell, session.layout, target);
    if (!info) throw new DeployError('rollback-nothing', `release ${target} on ${host} has no release.json; it cannot be re-applied.`);
    const damaged = await keptReleaseDamage(session.shell, session.layout.release(target), manifestHashes(info));
    if (damaged.length > 0) {
      throw new DeployError('rollback-release-damaged', `release ${target} on ${host} no longer matches its manifest (${damaged.join(', ')} missing or changed): nothing was changed. Deploy the commit that built it instead (deploy re-uploads what differs), or remove releases/${target} on the host.`);
    }
    const current = state.info;
    const base = { ...ctx.record, action: 'rollback' as const, release: target, previous: current.id };
    let containers: Record<string, string> | undefined;
    try {
      await markPending(session, { action: 'rollback', release: target, previous: current.id, by: ctx.record.by, since: ctx.record.at });
      containers = await makeCurrent(ctx, session, info, current);
    } catch (e) {
      progress.info(`rollback to ${target} failed; returning to ${current.id}`);
      await makeCurrent(ctx, session, current, info).catch(() => {});
      await appendRecord(session, { ...base, result: 'failed', error: messageOf(e) }).catch(() => {});
      throw new DeployError('rollback-failed', `rolling ${host} back to ${target} failed: ${messageOf(e)}\n${current.id} was brought up again.`);
    }
    await progress.step('record the rollback', () => appendRecord(session, { ...base, result: 'ok', ...(containers ? { containers } : {}) }));
    return { host, release: target, from: current.id };
  } finally {
    await release();
  }
}
