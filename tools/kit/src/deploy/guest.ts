import type { Manifest } from '../render/artifact.js';
import { dialectFor, type Dialect } from '../proxmox/dialects.js';
import type { GuestPlan } from '../proxmox/guest-plan.js';
import { applySteps, nodeFileStep, planGuestOnNode } from '../proxmox/node-guest.js';
import type { GuestStep } from '../proxmox/steps.js';
import { describeStep } from '../proxmox/steps.js';
import type { HostContext } from './context.js';
import type { LocalRelease } from './release.js';
import type { RemoteShell } from './remote-shell.js';
import { openSession } from './session.js';
import { nodeTarget, type ResolvedTarget } from './target.js';

/** Kinds of files that go to the Proxmox node itself (a cloud-init snippet at its install path). */
export const NODE_FILE_KINDS: ReadonlySet<string> = new Set(['cloud-init']);

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

/** Whether the guest definition or a node file differs from what `before` had. */
export function guestChanged(local: ReleaseFiles, before: Manifest | undefined): boolean {
  const old = new Map((before?.artifacts ?? []).map((a) => [a.path, a.sha256]));
  return local.manifest.artifacts.some((a) => (dialectFor(a.kind) || NODE_FILE_KINDS.has(a.kind)) && old.get(a.path) !== a.sha256);
}

/**
 * The node files of a release that differ from `before` (all without it), written before the
 * guest is created or changed, since its definition may name them (cicustom).
 */
export function nodeFileSteps(local: ReleaseFiles, before?: Manifest): GuestStep[] {
  const old = new Map((before?.artifacts ?? []).map((a) => [a.path, a.sha256]));
  return local.manifest.artifacts
    .filter((a) => NODE_FILE_KINDS.has(a.kind) && a.install && old.get(a.path) !== a.sha256)
    .map((a) => nodeFileStep(a.install!.path, local.files.get(a.path)!, a.install!.mode ?? '0644'));
}

export interface GuestWork {
  readonly node: string;
  readonly plan: GuestPlan;
  /** The plan's steps, with whatever the caller puts before them (node files). */
  readonly steps: readonly GuestStep[];
}

/** Plans the guest definition on the node over an open shell; `before` runs first when there is work. */
export async function planGuestWork(ctx: HostContext, local: ReleaseFiles, shell: RemoteShell, before: readonly GuestStep[] = []): Promise<GuestWork | undefined> {
  const def = guestDefinition(local);
  if (!def) return undefined;
  const host = ctx.request.host;
  const node = host.node ?? ctx.request.lab.facts.proxmox.defaultNode;
  const plan = await planGuestOnNode(shell, node, {
    dialect: def.dialect,
    vmid: host.vmid,
    desired: def.content,
    ...(host.ostemplate ? { ostemplate: host.ostemplate } : {}),
    force: ctx.request.force === true,
  });
  return { node, plan, steps: [...before, ...plan.steps] };
}

export function nodeTargetOf(ctx: HostContext): ResolvedTarget {
  return nodeTarget(ctx.request.lab.facts, ctx.request.host, ctx.env);
}

/** Applies a planned guest definition, saying what it leaves alone. */
export async function applyGuestWork(ctx: HostContext, shell: RemoteShell, work: GuestWork): Promise<void> {
  for (const s of work.plan.skipped) ctx.progress.info(`note: ${work.plan.kind} ${work.plan.vmid}: ${s}`);
  await applySteps(shell, work.steps, ctx.progress, work.node);
}

/** For a host reached over SSH (a VM): the guest definition applied through its own node session. */
export async function applyGuestThroughNode(ctx: HostContext, local: ReleaseFiles, before: Manifest | undefined, apply = true): Promise<GuestWork | undefined> {
  if (!guestDefinition(local)) return undefined;
  const t = nodeTargetOf(ctx);
  const session = await ctx.progress.step(`connect to Proxmox node ${t.name} (${t.user}@${t.address}:${t.port})`, () => openSession(t, ctx.host));
  try {
    const work = await planGuestWork(ctx, local, session.shell, nodeFileSteps(local, before));
    if (work && apply) await applyGuestWork(ctx, session.shell, work);
    return work;
  } finally {
    await session.close();
  }
}

/** The guest steps as text, for plan and dry runs. */
export function describeGuestWork(work: GuestWork): string[] {
  return work.steps.map(describeStep);
}
