import { loadIdentities, decryptFile } from '../secrets/age.js';
import { deployContext, hostContextTarget, type DeployContext, type DeployRequest } from './context.js';
import { makeCurrent } from './activate/make-current.js';
import { DeployError, isDeployError, messageOf } from '../common/errors.js';
import { applyGuestThroughNode, guestChanged, guestDefinition, planGuestThroughNode, type ReleaseFiles } from './activate/guest.js';
import { isNodeFile } from './release/placement.js';
import { applyZfsStep, zfsLayoutOf } from './activate/zfs-step.js';
import { meetNodeNeeds, nodeNeeds } from '../proxmox/node-ready.js';
import { lockedSession } from './lock/locked-session.js';
import type { DeployPlan } from './plan.js';
import { planRelease } from './release/plan-release.js';
import { checkSecretsMatchDist, releaseInfo, type ReleaseInfo } from './release/release.js';
import type { RemoteState } from './release/remote-state.js';
import { openSession, type Session } from './connect/session.js';
import { isComposeV1 } from './connect/target.js';
import { filledFiles, pruneScript, releaseFiles, uploadScript, writeFilesLines } from './release/upload.js';
import { expectedHashes, keptReleaseDamage } from './release/kept-release.js';
import { driftReasons } from './activate/converge.js';
import { appendRecord, markPending, rollBackFailed, startingPoint } from './activate/recover.js';

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

const decrypted = new WeakMap<DeployContext, Promise<Map<string, Uint8Array>>>();

/** The secrets' values, decrypted once per deploy, in memory only. */
function decryptSecrets(ctx: DeployContext): Promise<Map<string, Uint8Array>> {
  let values = decrypted.get(ctx);
  if (!values) {
    values = (async () => {
      const out = new Map<string, Uint8Array>();
      if (ctx.local.secrets.length === 0) return out;
      const identities = loadIdentities(ctx.env);
      for (const s of ctx.local.secrets) out.set(s.name, await decryptFile(s.file!, identities));
      return out;
    })();
    decrypted.set(ctx, values);
  }
  return values;
}

/** The release with its placeholders filled (for files written straight to the node), when any holds one. */
async function withSecretsFilled(ctx: DeployContext, nodeOnly: boolean): Promise<ReleaseFiles> {
  const needs = ctx.local.manifest.artifacts.some((a) => a.install?.secrets?.length && (!nodeOnly || isNodeFile(a)));
  return needs ? { manifest: ctx.local.manifest, files: filledFiles(ctx.local, await decryptSecrets(ctx)).files } : ctx.local;
}

/**
 * Uploads the release, or, when the host keeps it already (a rollback, an earlier deploy),
 * verifies it against its manifest's hashes and re-uploads what is missing or differs.
 */
async function upload(ctx: DeployContext, session: Session, state: RemoteState, info: ReleaseInfo): Promise<void> {
  const { local, progress } = ctx;
  const kept = state.releases.includes(local.id);
  if (!kept) checkSecretsMatchDist(local);
  const values = await decryptSecrets(ctx);
  const filled = filledFiles(local, values);
  const files = releaseFiles(local, info, isComposeV1(ctx.target.composeCommand), filled.files);
  const secrets = new Map([...values].filter(([name]) => local.secrets.some((s) => s.name === name && s.asFile)));
  const secretOwners = new Map(local.secrets.flatMap((s) => (s.owner ? [[s.name, s.owner] as const] : [])));
  const up = { files, secrets, secretOwners, privateFiles: filled.privateFiles };
  if (kept) {
    await progress.step(`upload release ${local.id}`, async (step) => {
      const dir = session.layout.release(local.id);
      const damaged = await keptReleaseDamage(session.shell, dir, expectedHashes(up, [...secrets.keys()]));
      if (damaged.length === 0) return step.title(`upload release ${local.id}: already on the host, verified`);
      await session.shell.check('repairing the kept release', writeFilesLines(dir, up, new Set(damaged)).join('\n'));
      step.title(`upload release ${local.id}: already on the host; re-uploaded what was missing or differed from its manifest (${damaged.join(', ')})`);
    });
    return;
  }
  await progress.step(`upload release ${local.id} (${files.size} files, ${values.size} secrets)`, () =>
    session.shell.check('uploading the release', uploadScript(session.layout, local.id, up)),
  );
}

/** A dry run: the plan, and what would stop the real deploy (secrets missing or not decryptable, no compose command). */
async function dryRun(request: DeployRequest): Promise<DeployResult> {
  const connecting = connectEarly(request);
  let ctx: DeployContext;
  try {
    ctx = deployContext(request);
  } catch (e) {
    void connecting.then((s) => s.close(), () => {});
    throw e;
  }
  const { local } = ctx;
  const plan = await planRelease(ctx, connecting);
  const problems: string[] = [...(plan.composeMissing ? [plan.composeMissing] : [])];
  if (plan.changed) {
    // Rehearse the secrets too: each must be there and decrypt (the values are dropped at once).
    try {
      checkSecretsPresent(ctx);
      await decryptSecrets(ctx);
    } catch (e) {
      problems.push(messageOf(e));
    }
  }
  return { host: local.host, outcome: 'dry-run', release: local.id, ...(plan.current ? { previous: plan.current } : {}), plan, problems };
}

/**
 * Deploys a host's dist/: lock, compare, upload a release named by its id, switch `current`,
 * `up -d`, wait for health; on failure switch back and bring the previous release up again.
 */
export async function deployHost(request: DeployRequest & { readonly dryRun?: boolean }): Promise<DeployResult> {
  if (request.dryRun) return dryRun(request);
  const ctx = deployContext(request);
  const { local, progress, record: who } = ctx;
  const host = local.host;
  // Secrets are checked and decrypted before connecting: a missing or undecryptable one stops the deploy with nothing sent.
  checkSecretsPresent(ctx);
  await decryptSecrets(ctx);
  const { session, state, release } = await lockedSession(ctx, 'deploy').catch((e: unknown) => createGuestIfMissing(ctx, e));
  try {
    // A node's readiness (templates, virtiofsd, /etc/pve/mapping) is checked on every deploy: each met need runs nothing.
    if (request.host.kind === 'pve') await meetNodeNeeds(session.shell, nodeNeeds(request.lab, request.host.node), progress);
    if (state.current === local.id) {
      const drift = await progress.step(`check that ${host} runs ${local.id} as recorded, healthy`, () => driftReasons(session.shell, session.target, state));
      if (drift.length === 0) {
        progress.info(`${host} already runs release ${local.id}: nothing to do.`);
        return { host, outcome: 'unchanged', release: local.id, previous: local.id };
      }
      progress.info(`${host} runs release ${local.id}, but not as recorded (${drift.join('; ')}): applying it again.`);
    }
    const info = releaseInfo(local, who);
    const { before, fallback } = await startingPoint(session, state, local.id);
    if (session.target.via === 'ssh' && guestChanged(local, state.info?.manifest)) await applyGuestThroughNode(ctx, await withSecretsFilled(ctx, true), state.info?.manifest, await decryptSecrets(ctx));
    const zfs = zfsLayoutOf(local);
    if (zfs) await applyZfsStep(session.shell, zfs, host, progress);
    await upload(ctx, session, state, info);
    const base = { ...who, action: 'deploy' as const, release: local.id, ...(fallback ? { previous: fallback.id } : {}) };
    let containers: Record<string, string> | undefined;
    try {
      await markPending(session, { action: 'deploy', release: local.id, ...(fallback ? { previous: fallback.id } : {}), by: who.by, since: who.at });
      containers = await makeCurrent(ctx, session, info, before, local);
    } catch (e) {
      await rollBackFailed(ctx, session, info, fallback, e, base);
    }
    await progress.step('record the deploy and prune old releases', async () => {
      await appendRecord(session, { ...base, result: 'ok', ...(containers ? { containers } : {}) });
      await session.shell.check('pruning releases', pruneScript(session.layout, ctx.target.keepReleases, [local.id, ...(fallback ? [fallback.id] : [])]));
    });
    // `previous`: what `current` pointed at before (none when the same release was applied again).
    const was = state.current !== local.id ? state.current : undefined;
    return { host, outcome: 'deployed', release: local.id, ...(was ? { previous: was } : {}) };
  } finally {
    await release();
  }
}

/**
 * A VM that does not answer may not exist yet: when the host has a guest definition and the
 * node has no such guest, create it (and start it, with onboot) and say to deploy again once
 * it is up. Anything else is the original error.
 */
async function createGuestIfMissing(ctx: DeployContext, cause: unknown): Promise<never> {
  const unreachable = isDeployError(cause) && ['ssh-refused', 'ssh-timeout', 'ssh-unreachable'].includes(cause.code);
  if (!unreachable || ctx.target.via !== 'ssh' || !guestDefinition(ctx.local)) throw cause;
  const planned = await planGuestThroughNode(ctx, ctx.local, undefined);
  if (!planned || planned.plan.exists) throw cause;
  if (planned.plan.skipped.length > 0 && planned.steps.length === 0) throw new DeployError('guest-not-created', `${ctx.host} does not answer and its ${planned.plan.kind} ${planned.plan.vmid} does not exist; it cannot be created: ${planned.plan.skipped.join(' ')}`);
  await applyGuestThroughNode(ctx, await withSecretsFilled(ctx, true), undefined, await decryptSecrets(ctx));
  throw new DeployError('guest-created', `${ctx.host} did not answer (${messageOf(cause)}), and its ${planned.plan.kind === 'lxc' ? 'container' : 'VM'} ${planned.plan.vmid} did not exist on ${planned.node}: it is created now. Deploy again once it has booted and its sshd answers with the pinned host key.`);
}
