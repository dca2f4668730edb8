import type { Manifest } from '../../render/artifact.js';
import type { DeployContext } from '../context.js';
import { driftReasons } from '../activate/converge.js';
import { messageOf } from '../../common/errors.js';
import { describeGuestWork, guestDefinition, planGuestThroughNode, planGuestWork } from '../activate/guest.js';
import { computePlan, pathsToRead, type DeployPlan, type GuestPlanSummary } from '../plan.js';
import { readRemoteFiles, readRemoteState } from './remote-state.js';
import { describeTarget, openSession, type Session } from '../connect/session.js';
import { planZfsStep, zfsLayoutOf } from '../activate/zfs-step.js';
import { checkNodeNeeds, nodeNeeds } from '../../proxmox/node-ready.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../findings.js';
import { proxyHost } from '../../model/routes.js';
import { TLS_SECRETS, tlsMode } from '../../model/tls.js';
import { decryptFile, loadIdentities } from '../../secrets/age.js';
import { secretsDir } from '../../secrets/store.js';
import { checkProxyCertificate } from '../../tls/check.js';
import { certificateNames } from '../../tls/names.js';
import { CA_CERT_FILE } from '../../tls/store.js';

/** Shows what a deploy would change, changing nothing (no lock is taken). */
export async function planRelease(ctx: DeployContext, connecting?: Promise<Session>): Promise<DeployPlan> {
  const host = ctx.local.host;
  const session = await ctx.progress.step(`connect to ${host} (${describeTarget(ctx.target)})`, () => connecting ?? openSession(ctx.target, host));
  try {
    const state = await ctx.progress.step(`read what ${host} runs`, () => readRemoteState(session.shell, session.layout));
    const remoteFiles = state.current ? await readRemoteFiles(session.shell, session.layout.current, pathsToRead(ctx.local, state.info)) : new Map<string, string>();
    const drift = state.current === ctx.local.id ? await driftReasons(session.shell, session.target, state) : [];
    const plan = computePlan(ctx.local, state, remoteFiles, describeTarget(ctx.target), drift);
    const guest = await planGuestSummary(ctx, session, state.info?.manifest);
    const wanted = zfsLayoutOf(ctx.local);
    const zfs = wanted ? await planZfsStep(session.shell, wanted, host).then((p) => ({ plan: p }), (e: unknown) => ({ error: messageOf(e) })) : undefined;
    const node = ctx.request.host.kind === 'pve' ? await checkNodeNeeds(session.shell, nodeNeeds(ctx.request.lab, ctx.request.host.node)).then((needs) => ({ needs }), (e: unknown) => ({ error: messageOf(e) })) : undefined;
    const certificate = await planCertificate(ctx);
    const composeMissing = ctx.local.composeFiles.length > 0 && session.target.via === 'ssh' ? await composeProblem(session, host) : undefined;
    return { ...plan, ...(composeMissing ? { composeMissing } : {}), ...(guest ? { guest } : {}), ...(zfs ? { zfs } : {}), ...(node ? { node } : {}), ...(certificate ? { certificate } : {}) };
  } finally {
    await session.close();
  }
}

/** The guest definition against its node, read-only; a node that cannot be read is reported, not fatal. */
async function planGuestSummary(ctx: DeployContext, session: Session, before: Manifest | undefined): Promise<GuestPlanSummary | undefined> {
  if (!guestDefinition(ctx.local)) return undefined;
  try {
    const work = session.target.via === 'proxmox' ? await planGuestWork(ctx, ctx.local, session.shell) : await planGuestThroughNode(ctx, ctx.local, before);
    if (!work) return undefined;
    const { kind, vmid, exists, migration, skipped } = work.plan;
    return { node: work.node, kind, vmid, exists, ...(migration ? { migration } : {}), steps: describeGuestWork(work), skipped };
  } catch (e) {
    return { error: messageOf(e) };
  }
}


/**
 * On the reverse proxy's host with the internal CA: the certificate in the secret store against
 * the lab (expired or expiring, a route name it lacks, not signed by ca.crt). The store holds it
 * encrypted, so validate cannot see it; plan decrypts it in memory with the deploy identity.
 */
async function planCertificate(ctx: DeployContext): Promise<{ readonly findings: readonly Finding[] } | { readonly error: string } | undefined> {
  const lab = ctx.request.lab;
  const secret = ctx.local.secrets.find((x) => x.name === TLS_SECRETS.cert);
  if (tlsMode(lab) !== 'internal-ca' || proxyHost(lab)?.name !== ctx.local.host || !secret?.file) return undefined;
  try {
    const pem = Buffer.from(await decryptFile(secret.file, loadIdentities(ctx.env))).toString('utf8');
    const caFile = join(secretsDir(ctx.request.root, ctx.env), CA_CERT_FILE);
    const ca = existsSync(caFile) ? readFileSync(caFile, 'utf8') : undefined;
    const proxy = proxyHost(lab)!;
    const service = proxy.services.find((x) => x.role === 'reverse-proxy')!;
    return { findings: checkProxyCertificate(pem, certificateNames(lab), new Date(), `${proxy.name}/${service.name}/secrets`, ca) };
  } catch (e) {
    return { error: messageOf(e) };
  }
}

/** Why the compose command does not run on the host (not installed, not working), or undefined when it does. */
export async function composeProblem(session: Session, host: string): Promise<string | undefined> {
  const command = session.target.composeCommand;
  const probe = await session.shell.run(`out=$(${command} version 2>&1) && exit 0; rc=$?; printf '%s\\n' "$out" | tail -n 3; exit $rc`);
  if (probe.code === 0) return undefined;
  const said = probe.stdout.trim();
  const what = probe.code === 127 ? 'is not installed' : `does not run (exit ${probe.code})`;
  return `the compose command \`${command}\` ${what} on ${host}${said ? `: ${said}` : ''}. Install it there (Docker's compose plugin, or docker-compose), or set the compose command (deploy.compose in the model, HOMELAB_DEPLOY_<HOST>_COMPOSE, --compose).`;
}
