import { spawnSync } from 'node:child_process';

export interface Run {
  readonly ms: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Wall time of one run of a command, process start included. */
export function timeCommand(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Run {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env, maxBuffer: 256 * 1024 * 1024 });
  return { ms: performance.now() - t0, code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median wall time over `runs` runs (after one warm-up run), failing loudly if the command fails. */
export function medianRun(label: string, runs: number, command: string, args: readonly string[], cwd: string, okCodes = [0]): number {
  const warm = timeCommand(command, args, cwd);
  if (!okCodes.includes(warm.code)) throw new Error(`${label} exited ${warm.code}:\n${warm.stderr || warm.stdout}`);
  return median(Array.from({ length: runs }, () => timeCommand(command, args, cwd).ms));
}

export const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
