import { containersScript, judgeHealth, parseContainers, type ContainerState } from './compose-run.js';
import type { RemoteLayout } from '../release/layout.js';
import { runningAfter, type HistoryEntry } from '../record/record.js';
import type { ReleaseInfo } from '../release/release.js';
import type { RemoteShell } from '../../shell/remote-shell.js';
import type { RemoteState } from '../release/remote-state.js';
import { quote } from '../../shell/quote.js';
import type { ResolvedTarget } from '../connect/target.js';

/**
 * The marker a deploy or rollback writes before it switches `current` and removes with its record:
 * a run cut in between (killed, connection lost) leaves it, so the next run knows that what runs
 * may be half of `release`, and that `previous` was the last release known to run healthy.
 */
export interface PendingSwitch {
  readonly action: 'deploy' | 'rollback';
  readonly release: string;
  readonly previous?: string;
  readonly by: string;
  readonly since: string;
}

export function writePendingScript(layout: RemoteLayout, pending: PendingSwitch): string {
  return `printf '%s\\n' ${quote(JSON.stringify(pending))} > ${quote(layout.pending)}`;
}

export function clearPendingScript(layout: RemoteLayout): string {
  return `rm -f ${quote(layout.pending)}`;
}

export function parsePending(text: string): PendingSwitch | undefined {
  try {
    const p = JSON.parse(text) as PendingSwitch;
    return typeof p?.release === 'string' ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The compose config hash of each service's container: kept in the record of a healthy release. */
export function configHashes(containers: readonly ContainerState[]): Record<string, string> {
  return Object.fromEntries(containers.filter((c) => c.configHash).map((c) => [c.service, c.configHash]));
}

/**
 * Why what runs is not the healthy `current` release, read from the state alone: an interrupted
 * switch, or a last record that does not say this release runs healthy. Empty when the record agrees.
 */
export function recordReasons(state: RemoteState): string[] {
  if (!state.current) return [];
  if (state.pending) {
    const p = state.pending;
    return [`a ${p.action} of ${p.release} by ${p.by} (since ${p.since}) did not finish: what runs may be half of it`];
  }
  const last = [...state.history].reverse()[0];
  if (!last) return [`no deploy record says ${state.current} was started and found healthy`];
  if (runningAfter(last) !== state.current) {
    return [`the last record (${last.action} of ${last.release}: ${last.result}) does not say ${state.current} runs healthy`];
  }
  return [];
}

/** The record entry that last said `release` runs healthy (with its containers' config hashes). */
function lastGood(history: readonly HistoryEntry[], release: string): HistoryEntry | undefined {
  return [...history].reverse().find((e) => runningAfter(e) === release);
}

/**
 * What differs between the containers and the release the record says runs: a service with no
 * container, one whose config hash is not the one recorded (changed by hand), one not healthy.
 */
export function containerReasons(info: ReleaseInfo, history: readonly HistoryEntry[], containers: readonly ContainerState[]): string[] {
  const reasons: string[] = [];
  const recorded = lastGood(history, info.id)?.containers;
  for (const service of Object.keys(info.services).sort()) {
    const mine = containers.filter((c) => c.service === service);
    if (mine.length === 0) {
      reasons.push(`${service} has no container`);
      continue;
    }
    const verdict = judgeHealth([service], mine);
    if (verdict.state === 'failed') reasons.push(`${service} is not healthy: ${verdict.why}`);
    else if (verdict.state === 'waiting') reasons.push(`${service} is not healthy yet: ${verdict.pending}`);
    const want = recorded?.[service];
    if (want && mine.some((c) => c.configHash !== want)) reasons.push(`${service}'s container was changed: its compose config hash is not the one recorded when ${info.id} was found healthy`);
  }
  const known = new Set(Object.keys(info.services));
  for (const c of containers) if (!known.has(c.service)) reasons.push(`${c.service} runs but is not part of ${info.id}`);
  return reasons;
}

/** Lists the project's containers (one round trip) and says what differs from the recorded release. */
export async function readContainerReasons(shell: RemoteShell, target: ResolvedTarget, info: ReleaseInfo, history: readonly HistoryEntry[]): Promise<string[]> {
  if (info.composeFiles.length === 0 || target.via !== 'ssh') return [];
  const containers = parseContainers(await shell.check('listing the containers', containersScript(target, info.project)));
  return containerReasons(info, history, containers);
}

/**
 * Why the host does not run `current` as recorded, healthy: empty when a deploy of the same
 * release has nothing to do. Only the containers cost a round trip, and only when the record agrees.
 */
export async function driftReasons(shell: RemoteShell, target: ResolvedTarget, state: RemoteState): Promise<string[]> {
  const fromRecord = recordReasons(state);
  if (fromRecord.length > 0) return fromRecord;
  if (!state.info) return state.current ? [`releases/${state.current}/release.json cannot be read`] : [];
  return readContainerReasons(shell, target, state.info, state.history);
}
