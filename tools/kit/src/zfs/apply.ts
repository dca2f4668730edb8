import type { Finding } from '../findings.js';
import { planZfs, zfsPlanCommands, type ZfsAction, type ZfsOutputs, type ZfsPlan } from './plan.js';
import type { WantedLayout } from './wanted.js';

/** Runs one command on the Proxmox host (over SSH in deploy, a fake in tests). */
export type RunZfs = (argv: readonly string[]) => Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }>;

/** Reads what the host has: the outputs of zfsPlanCommands (a missing pool makes them empty). */
export async function readZfsState(wanted: WantedLayout, run: RunZfs): Promise<ZfsOutputs> {
  const outputs: Partial<Record<string, string>> = {};
  for (const command of zfsPlanCommands(wanted)) outputs[command.name] = (await run(command.argv)).stdout;
  return outputs as ZfsOutputs;
}

/** `homelab plan pve`'s dataset part: read the host, compare. Changes nothing. */
export async function planZfsOn(wanted: WantedLayout, run: RunZfs, host = 'pve'): Promise<ZfsPlan> {
  return planZfs(wanted, await readZfsState(wanted, run), host);
}

export interface ZfsApplyResult {
  readonly plan: ZfsPlan;
  /** The actions that ran and succeeded, in order. */
  readonly applied: readonly ZfsAction[];
  /** The action that failed (nothing after it ran), with what zfs said. */
  readonly failed?: { readonly action: ZfsAction; readonly stderr: string };
  /** The plan made again after applying: empty when the host now matches the layout. */
  readonly after?: ZfsPlan;
  /** True when the host matches the layout (creation-only warnings aside). */
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

/**
 * `homelab deploy pve`'s dataset part: plan, run exactly the plan's commands in order (stopping
 * at the first failure), then plan again to prove nothing is left. A plan with an error finding
 * (no pool, a volume in the way) runs nothing. Never destroys: the plan has no such action.
 */
export async function applyZfsPlan(wanted: WantedLayout, run: RunZfs, host = 'pve'): Promise<ZfsApplyResult> {
  const plan = await planZfsOn(wanted, run, host);
  if (plan.findings.some((f) => f.severity === 'error')) return { plan, applied: [], ok: false, findings: plan.findings };
  const applied: ZfsAction[] = [];
  for (const action of plan.actions) {
    const r = await run(action.argv);
    if (r.code !== 0) return { plan, applied, failed: { action, stderr: r.stderr.trim() }, ok: false, findings: plan.findings };
    applied.push(action);
  }
  const after = await planZfsOn(wanted, run, host);
  const converged = after.actions.length === 0 && !after.findings.some((f) => f.severity === 'error');
  const findings = converged
    ? after.findings
    : [...after.findings, { code: 'zfs-not-converged', severity: 'error' as const, path: `${host}/zfs/${wanted.pool}`, message: `after applying the plan, zfs still reports ${after.actions.length} change(s) to make (first: ${after.actions[0]?.argv.join(' ') ?? 'none'}); something on the host changes these properties back. Run homelab plan ${host} and look at what sets them.` }];
  return { plan, applied, after, ok: converged, findings };
}
