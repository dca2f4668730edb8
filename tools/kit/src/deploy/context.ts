import { join } from 'node:path';
import type { Machine } from '../model/proxmox-host.js';
import type { Lab } from '../model/lab.js';
import { secretsDir } from '../secrets/store.js';
import { silentProgress, type Progress } from '../common/progress.js';
import { currentRecord, type DeployRecord } from './record/record.js';
import { readLocalRelease, type LocalRelease } from './release/release.js';
import { checkDistFresh } from './release/fresh.js';
import { hostTarget, nodeTarget, type ResolvedTarget, type TargetOverrides } from './connect/target.js';

/** What plan, deploy and rollback are given: the lab, one host, how to reach it, how to show progress. */
export interface DeployRequest {
  /** The workspace root (secrets/, git). */
  readonly root: string;
  readonly lab: Lab;
  /** A guest (VM or container) or a Proxmox host. */
  readonly host: Machine;
  /** The host's package folder; its dist/ is what gets deployed. */
  readonly hostDir: string;
  readonly overrides?: TargetOverrides;
  readonly env?: NodeJS.ProcessEnv;
  readonly progress?: Progress;
  /** Seconds to wait for another deploy's lock; 0 (default) refuses at once. */
  readonly waitSeconds?: number;
  /** Allow what destroys: removing guest options, recreating a guest. */
  readonly force?: boolean;
}

/** A request with its target resolved and this run's record (who, commit, when). */
export interface HostContext {
  readonly request: DeployRequest;
  readonly host: string;
  readonly env: NodeJS.ProcessEnv;
  readonly target: ResolvedTarget;
  readonly record: DeployRecord;
  readonly progress: Progress;
}

/** ... and the release dist/ makes. */
export interface DeployContext extends HostContext {
  readonly local: LocalRelease;
}

/**
 * Where the host's releases live: the host itself over SSH (through its node with `deploy.jump:
 * 'node'`), or (for a container deployed through Proxmox) its node, where `pct push` takes the files from.
 */
export function hostContextTarget(request: DeployRequest): ResolvedTarget {
  const env = request.env ?? process.env;
  const own = hostTarget(request.host, env, request.overrides);
  if (request.host.kind === 'pve') return own;
  if (own.via === 'ssh') return request.host.deploy?.jump === 'node' && !own.jump ? { ...own, jump: { ...nodeTarget(request.lab, request.host, env), via: 'ssh' } } : own;
  return nodeTarget(request.lab, request.host, env, request.overrides);
}

export function hostContext(request: DeployRequest): HostContext {
  const env = request.env ?? process.env;
  const target = hostContextTarget(request);
  return { request, host: request.host.name, env, target, record: currentRecord(request.root, env), progress: request.progress ?? silentProgress };
}

export function deployContext(request: DeployRequest): DeployContext {
  const base = hostContext(request);
  const dist = join(request.hostDir, 'dist');
  const local = readLocalRelease(request.host, dist, secretsDir(request.root, base.env));
  checkDistFresh(request.lab, request.host, dist);
  return { ...base, local };
}
