import { loadIdentities, decryptFile } from '../secrets/age.js';
import { activate } from './activate.js';
import { deployContext, hostContextTarget, type DeployContext, type DeployRequest, type HostContext } from './context.js';
import { DeployError, messageOf } from './errors.js';
import { acquireLock } from './lock.js';
import { computePlan, pathsToRead, type DeployPlan } from './plan.js';
import type { HistoryEntry } from './record.js';
import { checkSecretsMatchDist, releaseInfo, type ReleaseInfo } from './release.js';
import { servicesToRecreate } from './release-compose.js';
import { readRemoteFiles, readRemoteState, type RemoteState } from './remote-state.js';
import { describeTarget, openSession, type Session } from './session.js';
import { isComposeV1 } from './target.js';
import { pruneScript, recordScript, releaseFiles, unlinkCurrentScript, uploadScript } from './upload.js';

export type DeployOutcome = 'unchanged' | 'deployed' | 'dry-run';

export interface DeployResult {
  readonly host: string;
  readonly outcome: DeployOutcome;
  readonly release: string;
  readonly previous?: string;
  /** For a dry run: what the deploy would change. */
  readonly plan?: DeployPlan;
  /** For a dry run: why the real deploy would stop (missing secrets, no identity to decrypt them). */
  readonly problems?: readonly string[];
}

/**
 * Starts connecting before the local work (reading dist/, git), so the handshake overlaps it.
 * A failure is reported when the connection is awaited, as the connect step.
 */
function connectEarly(request: DeployRequest): Promise<Session> {
  const connecting = (async () => openSession(hostContextTarget(request), request.host.name))();
  connecting.catch(() => {});
  return connecting;
}

/** Fails before connecting when a secret has no encrypted value in the store. */
function checkSecretsPresent(ctx: DeployContext): void {
  const missing = ctx.local.secrets.filter((s) => !s.file).map((s) => s.name);
  if (missing.length > 0) {
    throw new DeployError(
      'secret-missing',
      `${ctx.local.host} needs secret(s) with no encrypted value in the store: ${missing.join(', ')}. Add each with \`homelab secret set <name> --host ${ctx.local.host}\` (the value on stdin).`,
    );
  }
}

async function decryptSecrets(ctx: DeployContext): Promise<Map<string, Uint8Array>> {
  const values = new Map<string, Uint8Array>();
  if (ctx.local.secrets.length === 0) return values;
  const identities = loadIdentities(ctx.env);
  for (const s of ctx.local.secrets) values.set(s.name, await decryptFile(s.file!, identities));
  return values;
}

/**
 * Connects, takes the host's lock and reads what it runs, in one round trip (the state is read
 * right behind the lock; again after a wait). Closing the session drops the lock.
 */
export async function lockedSession(
  ctx: HostContext,
  action: 'deploy' | 'rollback',
  connecting: Promise<Session> = openSession(ctx.target, ctx.host),
): Promise<{ session: Session; state: RemoteState; release(): Promise<void> }> {
  const { target, progress, host } = ctx;
  const session = await progress.step(`connect to ${host} (${describeTarget(target)})`, () => connecting);
  try {
    const { lock, state } = await progress.step(`lock ${host} and read what it runs`, async (step) => {
      const info = { action, by: ctx.record.by, commit: ctx.record.commit, since: ctx.record.at };
      const locking = acquireLock(session.shell, session.layout, host, info, ctx.request.waitSeconds ?? 0, (holder) => step.note(`waiting up to ${ctx.request.waitSeconds}s for the ${holder}`));
      const reading = readRemoteState(session.shell, session.layout);
      const [lock, early] = await Promise.all([locking, reading.catch((e: unknown) => e as Error)]);
      if (early instanceof Error) throw early;
      return { lock, state: lock.waited ? await readRemoteState(session.shell, session.layout) : early };
    });
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

/** Shows what a deploy would change, changing nothing (no lock is taken). */
export async function planRelease(ctx: DeployContext, connecting?: Promise<Session>): Promise<DeployPlan> {
  const host = ctx.local.host;
  const session = await ctx.progress.step(`connect to ${host} (${describeTarget(ctx.target)})`, () => connecting ?? openSession(ctx.target, host));
  try {
    const state = await ctx.progress.step(`read what ${host} runs`, () => readRemoteState(session.shell, session.layout));
    const remoteFiles = state.current ? await readRemoteFiles(session.shell, session.layout.current, pathsToRead(ctx.local, state.info)) : new Map<string, string>();
    return computePlan(ctx.local, state, remoteFiles, describeTarget(ctx.target));
  } finally {
    await session.close();
  }
}

async function upload(ctx: DeployContext, session: Session, state: RemoteState, info: ReleaseInfo): Promise<void> {
  const { local, progress } = ctx;
  if (state.releases.includes(local.id)) {
    await progress.step(`upload release ${local.id}`, async (step) => step.title(`upload release ${local.id}: already on the host`));
    return;
  }
  checkSecretsMatchDist(local);
  const secrets = await decryptSecrets(ctx);
  const files = releaseFiles(local, info, isComposeV1(ctx.target.composeCommand));
  await progress.step(`upload release ${local.id} (${files.size} files, ${secrets.size} secrets)`, () =>
    session.shell.check('uploading the release', uploadScript(session.layout, local.id, { files, secrets })),
  );
}

export async function record(session: Session, entry: HistoryEntry): Promise<void> {
  await session.shell.check('writing the deploy record', recordScript(session.layout, entry));
}

/**
 * Deploys a host's dist/: lock, compare, upload a release named by its id, switch `current`,
 * `up -d`, wait for health; on failure switch back and bring the previous release up again.
 */
export async function deployHost(request: DeployRequest & { readonly dryRun?: boolean }): Promise<DeployResult> {
  const connecting = connectEarly(request);
  let ctx: DeployContext;
  try {
    ctx = deployContext(request);
  } catch (e) {
    void connecting.then((s) => s.close(), () => {});
    throw e;
  }
  const { local, progress, record: who } = ctx;
  const host = local.host;
  if (request.dryRun) {
    const plan = await planRelease(ctx, connecting);
    const problems: string[] = [];
    if (plan.changed) {
      // Rehearse the secrets too: each must be there and decrypt (the values are dropped at once).
      try {
        checkSecretsPresent(ctx);
        await decryptSecrets(ctx);
      } catch (e) {
        problems.push(messageOf(e));
      }
    }
    return { host, outcome: 'dry-run', release: local.id, ...(plan.current ? { previous: plan.current } : {}), plan, problems };
  }
  try {
    checkSecretsPresent(ctx);
  } catch (e) {
    void connecting.then((s) => s.close(), () => {});
    throw e;
  }
  const { session, state, release } = await lockedSession(ctx, 'deploy', connecting);
  try {
    if (state.current === local.id) {
      progress.info(`${host} already runs release ${local.id}: nothing to do.`);
      return { host, outcome: 'unchanged', release: local.id, previous: local.id };
    }
    const info = releaseInfo(local, who);
    await upload(ctx, session, state, info);
    const previous = state.info;
    const base = { ...who, action: 'deploy' as const, release: local.id, ...(previous ? { previous: previous.id } : {}) };
    try {
      await activate(session, info, previous, servicesToRecreate(info, previous), progress);
    } catch (e) {
      await rollBackFailed(ctx, session, info, previous, e, base);
    }
    await progress.step('record the deploy and prune old releases', async () => {
      await record(session, { ...base, result: 'ok' });
      await session.shell.check('pruning releases', pruneScript(session.layout, ctx.target.keepReleases, [local.id, ...(previous ? [previous.id] : [])]));
    });
    return { host, outcome: 'deployed', release: local.id, ...(previous ? { previous: previous.id } : {}) };
  } finally {
    await release();
  }
}

/** After a failed activation: the previous release back up (or, on a first deploy, no `current`). Always throws. */
async function rollBackFailed(ctx: HostContext, session: Session, failed: ReleaseInfo, previous: ReleaseInfo | undefined, cause: unknown, base: Omit<HistoryEntry, 'result'>): Promise<never> {
  const why = messageOf(cause);
  const { progress } = ctx;
  if (!previous) {
    await session.shell.run(unlinkCurrentScript(session.layout));
    await record(session, { ...base, result: 'failed', error: why }).catch(() => {});
    throw new DeployError('deploy-failed', `deploying ${failed.id} to ${failed.host} failed: ${why}\nThere was no previous release to return to; its containers are left as they are for inspection.`);
  }
  progress.info(`deploy of ${failed.id} failed; rolling back to ${previous.id}`);
  try {
    await activate(session, previous, failed, servicesToRecreate(previous, failed), progress);
  } catch (again) {
    await record(session, { ...base, result: 'failed', error: `${why}; rollback failed: ${messageOf(again)}` }).catch(() => {});
    throw new DeployError('rollback-failed', `deploying ${failed.id} to ${failed.host} failed: ${why}\nRolling back to ${previous.id} failed too: ${messageOf(again)}`);
  }
  await record(session, { ...base, result: 'rolled-back', error: why }).catch(() => {});
  throw new DeployError('deploy-rolled-back', `deploying ${failed.id} to ${failed.host} failed: ${why}\nRolled back: ${previous.id} runs again and is healthy.`);
}
