import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@homelab/testing';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const BIN = join(repoRoot, 'tools', 'cli', 'bin', 'homelab.mjs');

/** Every output of every command a test ran: scenario 8 proves no secret value is in any of it. */
export const transcript: string[] = [];

/** The real `homelab` command in `cwd` with `env`. */
export function homelabEnv(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8' });
  transcript.push(r.stdout, r.stderr);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same, running in the background; `onStderr` sees its progress lines as they come, `onSpawn`
 * the process itself (a test kills it at a chosen step).
 */
export function homelabAsync(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[], onStderr?: (text: string) => void, onSpawn?: (child: ChildProcess) => void): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr);
    });
    child.on('close', (code) => {
      transcript.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `output` of a failed run, for an assertion message. */
export function show(r: CliRun): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}
