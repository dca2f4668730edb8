import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderedChanges } from '@homelab/kit';
import { fmt, timeCommand } from './timing.js';

export interface Scenario {
  readonly name: string;
  readonly file: string;
  readonly from: RegExp | string;
  readonly to: string;
}

export interface AffectedFigures {
  readonly scenario: string;
  readonly runManyMs: number;
  readonly affectedMs: number;
  /** `nx affected -t build` with the base commit's build in the cache (what CI has when it keeps the cache). */
  readonly affectedWarmMs: number;
  readonly rebuilt: string[];
  readonly deployed: string[];
}

const ENV = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', CI: 'true' };

function sh(cwd: string, command: string, args: string[]): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', env: ENV, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/**
 * A clone of the repository at HEAD with its dependencies installed from the local pnpm store,
 * where builds can run with an empty Nx cache without touching this workspace.
 */
export function cloneForBench(repo: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-bench-nx-'));
  sh(repo, 'git', ['clone', '-q', '--no-hardlinks', repo, dir]);
  sh(dir, 'pnpm', ['install', '--offline', '--frozen-lockfile']);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function timed(cwd: string, args: string[]): number {
  const r = timeCommand('pnpm', ['nx', ...args], cwd, ENV);
  if (r.code !== 0) throw new Error(`nx ${args.join(' ')} failed:\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  return r.ms;
}

/** One scenario: the full build with an empty cache against `nx affected -t build` after the commit. */
export async function measureScenario(repo: string, clone: string, s: Scenario): Promise<AffectedFigures> {
  const runManyMs = timed(clone, ['run-many', '-t', 'build', '--skip-nx-cache']);
  const path = join(clone, s.file);
  const before = readFileSync(path, 'utf8');
  const after = before.replace(s.from, s.to);
  if (after === before) throw new Error(`bench scenario "${s.name}": ${String(s.from)} not found in ${s.file}`);
  writeFileSync(path, after);
  sh(clone, 'git', ['commit', '-q', '-am', s.name]);
  const rebuilt = (JSON.parse(sh(clone, 'pnpm', ['nx', 'show', 'projects', '--affected', '-t', 'build', '--base=HEAD~1', '--head=HEAD', '--json'])) as string[]).sort();
  const affectedMs = timed(clone, ['affected', '-t', 'build', '--base=HEAD~1', '--head=HEAD', '--skip-nx-cache']);
  // The same after the base commit's full build filled the cache: only what changed rebuilds.
  sh(clone, 'git', ['checkout', '-q', 'HEAD~1']);
  timed(clone, ['run-many', '-t', 'build']);
  sh(clone, 'git', ['checkout', '-q', '-']);
  const affectedWarmMs = timed(clone, ['affected', '-t', 'build', '--base=HEAD~1', '--head=HEAD']);
  const deployed = (await renderedChanges(clone, 'HEAD~1', repo)).filter((c) => c.status !== 'same').map((c) => c.host);
  sh(clone, 'git', ['reset', '-q', '--hard', 'HEAD~1']);
  return { scenario: s.name, runManyMs, affectedMs, affectedWarmMs, rebuilt, deployed };
}

export function affectedLine(f: AffectedFigures): string {
  return `${f.scenario}: nx affected -t build ${fmt(f.affectedMs)} vs run-many ${fmt(f.runManyMs)}, both with an empty cache = ratio ${(f.affectedMs / f.runManyMs).toFixed(2)}; with the base commit's build cached: ${fmt(f.affectedWarmMs)} = ratio ${(f.affectedWarmMs / f.runManyMs).toFixed(2)} | projects rebuilt: ${f.rebuilt.length} (${f.rebuilt.join(', ')}) | hosts deployed: ${f.deployed.length} (${f.deployed.join(', ') || 'none'})`;
}
