import type { Manifest } from '../../render/artifact.js';
import { isLxcHost } from '../../model/lxc.js';
import type { PveLxcSetup } from '../../render/pve-lxc-setup.js';
import type { PveQemuSetup } from '../../render/pve-qemu-setup.js';
import { dialectFor, type Dialect } from '../../proxmox/dialects.js';
import type { GuestPlan } from '../../proxmox/guest-plan.js';
import { changedEntries, GUEST_KINDS, isNodeFile } from '../release/placement.js';
import { applySteps, nodeFileStep, planGuestOnNode } from '../../proxmox/node-guest.js';
import type { GuestStep, SecretValues } from '../../proxmox/steps.js';
import { describeStep } from '../../proxmox/steps.js';
import type { HostContext } from '../context.js';
import type { LocalRelease } from '../release/release.js';
import type { RemoteShell } from '../../shell/remote-shell.js';
import { openSession } from '../connect/session.js';
import { nodeTarget, type ResolvedTarget } from '../connect/target.js';
import { guestNode, hasVirtiofs, nodeAddress, nodesWithoutPackage } from '../../model/placement.js';
import { checkNodeNeeds, meetNodeNeeds, nodeNeeds, type NodeNeedState } from '../../proxmox/node-ready.js';
import { unitsToEnable } from './enable-units.js';

/** A host's guest definition: the rendered /etc/pve file and how to apply it. */
export interface GuestDefinition {
  readonly dialect: Dialect;
  readonly path: string;
  readonly content: string;
  readonly sha256: string;
}

/** A release as files: its manifest and contents (local dist/, or read back from the node). */
export type ReleaseFiles = Pick<LocalRelease, 'manifest' | 'files'>;

export function guestDefinition(local: ReleaseFiles): GuestDefinition | undefined {
  for (const a of local.manifest.artifacts) {
    const dialect = dialectFor(a.kind);
    if (dialect) return { dialect, path: a.path, content: local.files.get(a.path)!, sha256: a.sha256 };
  }
  return undefined;
}

/** The guest's setup (`pve-lxc-setup` or `pve-qemu-setup`, proxmox/<vmid>.setup.json), when the build has one. */
export function guestSetup(local: ReleaseFiles): PveLxcSetup | PveQemuSetup | undefined {
  const a = local.manifest.artifacts.find((x) => x.kind === 'pve-lxc-setup' || x.kind === 'pve-qemu-setup');
  return a ? (JSON.parse(local.files.get(a.path)!) as PveLxcSetup | PveQemuSetup) : undefined;
}

/** Whether the guest definition (and, with `nodeFiles`, a file for the node) differs from what `before` had. */
export function guestChanged(local: ReleaseFiles, before: Manifest | undefined, nodeFiles = true): boolean {
  return changedEntries(local.manifest, before, (a) => GUEST_KINDS.has(a.kind) || (nodeFiles && isNodeFile(a))).length > 0;
}

/**
 * The node files of a release that differ from `before` (all without it), written before the
 * guest is created or changed, since its definition may name them (cicustom).
 */
export function nodeFileSteps(local: ReleaseFiles, before?: Manifest): GuestStep[] {
  const changed = changedEntries(local.manifest, before, isNodeFile);
  const steps: GuestStep[] = changed.map((a) => nodeFileStep(a.install!.path, local.files.get(a.path)!, a.install!.secrets?.length ? '0600' : (a.install!.mode ?? '0644')));
  const units = [...new Set(changed.flatMap((a) => (a.install!.restart ? [a.install!.restart] : [])))].sort();
  if (changed.some((a) => a.install!.path.startsWith('/etc/systemd/'))) steps.push({ kind: 'run', argv: ['systemctl', 'daemon-reload'], why: 'reload systemd' });
  const enable = unitsToEnable(changed);
  if (enable.length > 0) steps.push({ kind: 'run', argv: ['systemctl', 'enable', ...enable], why: 'enable them, so boot starts them again' });
  for (const unit of units) steps.push({ kind: 'run', argv: ['systemctl', 'restart', unit], why: `restart ${unit} on the node` });
  return steps;
}

export interface GuestWork {
  readonly node: string;
  readonly plan: GuestPlan;
  /** The plan's steps, with whatever the caller puts before them (node files). */
  readonly steps: readonly GuestStep[];
  /**
   * A node without a Proxmox host package of its own is made ready through its guests: what it
   * meets and lacks of the readiness steps (virtiofsd, templates, the mapping folder).
   */
  readonly readiness?: readonly NodeNeedState[];
}

/** Plans the guest definition on the node over an open shell; `before` runs first when there is work. */
export async function planGuestWork(ctx: HostContext, local: ReleaseFiles, shell: RemoteShell, before: readonly GuestStep[] = []): Promise<GuestWork | undefined> {
  const def = guestDefinition(local);
  if (!def) return undefined;
  const host = ctx.request.host;
  if (host.kind === 'pve') return undefined;
  const node = guestNode(ctx.request.lab.facts, host);
  const setup = guestSetup(local);
  const plan = await planGuestOnNode(shell, node, {
    dialect: def.dialect,
    vmid: host.vmid,
    desired: def.content,
    ...(setup ? { setup, ...('ostemplate' in setup ? { ostemplate: setup.ostemplate } : {}) } : isLxcHost(host) ? { ostemplate: host.ostemplate } : {}),
    force: ctx.request.force === true,
  }, { addressOf: (n) => nodeAddress(ctx.request.lab, n) ?? n, live: !hasVirtiofs(host) });
  const readiness = nodesWithoutPackage(ctx.request.lab).includes(node) ? await checkNodeNeeds(shell, nodeNeeds(ctx.request.lab, node)) : undefined;
  return { node, plan, steps: [...before, ...plan.steps], ...(readiness ? { readiness } : {}) };
}

export function nodeTargetOf(ctx: HostContext): ResolvedTarget {
  return nodeTarget(ctx.request.lab, ctx.request.host, ctx.env);
}

/** Applies a planned guest definition, saying what it leaves alone; `secrets` for the options set from one (a VM's sshkeys). */
export async function applyGuestWork(ctx: HostContext, shell: RemoteShell, work: GuestWork, secrets?: SecretValues): Promise<void> {
  for (const s of work.plan.skipped) ctx.progress.info(`note: ${work.plan.kind} ${work.plan.vmid}: ${s}`);
  if (work.readiness?.some((n) => !n.ready)) await meetNodeNeeds(shell, nodeNeeds(ctx.request.lab, work.node), ctx.progress);
  await applySteps(shell, work.steps, ctx.progress, work.node, secrets);
}

/** For a host reached over SSH (a VM): what applying its guest definition through its node would do. */
export function planGuestThroughNode(ctx: HostContext, local: ReleaseFiles, before: Manifest | undefined): Promise<GuestWork | undefined> {
  return throughNode(ctx, local, before);
}

/**
 * For a host reached over SSH (a VM): the guest definition applied through its own node session,
 * the node files (the vendor snippet its cicustom names) first; `secrets` has the values of the
 * options set from secrets (decrypted in memory, sent only as a 0600 temporary file).
 */
export function applyGuestThroughNode(ctx: HostContext, local: ReleaseFiles, before: Manifest | undefined, secrets: SecretValues): Promise<GuestWork | undefined> {
  return throughNode(ctx, local, before, secrets);
}

async function throughNode(ctx: HostContext, local: ReleaseFiles, before: Manifest | undefined, secrets?: SecretValues): Promise<GuestWork | undefined> {
  if (!guestDefinition(local)) return undefined;
  const t = nodeTargetOf(ctx);
  const session = await ctx.progress.step(`connect to Proxmox node ${t.name} (${t.user}@${t.address}:${t.port})`, () => openSession(t, ctx.host));
  try {
    const work = await planGuestWork(ctx, local, session.shell, nodeFileSteps(local, before));
    if (work && secrets) await applyGuestWork(ctx, session.shell, work, secrets);
    return work;
  } finally {
    await session.close();
  }
}

/** The guest steps as text, for plan and dry runs. */
export function describeGuestWork(work: GuestWork): string[] {
  const ready = (work.readiness ?? []).filter((n) => !n.ready).map((n) => `make node ${work.node} ready: ${n.what} (${n.todo})`);
  return [...ready, ...work.steps.map(describeStep)];
}
