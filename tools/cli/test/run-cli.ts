import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@homelab/testing';

/** Runs the real `homelab` command as a user would, in `cwd` (with `env`, by default this process's). */
export function homelabIn(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'tools', 'cli', 'bin', 'homelab.mjs'), ...args], { cwd, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the real `homelab` command as a user would, in `cwd`. */
export function homelab(cwd: string, ...args: string[]) {
  return homelabIn(cwd, process.env, ...args);
}

/** What a stack trace looks like in Node's output. */
export const STACK_TRACE = /\n\s+at .+\(.+:\d+:\d+\)|node:internal/;

/** The same, without blocking this process: for a test that serves what the command reads (a registry, a target) from this process. */
export function homelabAsync(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'tools', 'cli', 'bin', 'homelab.mjs'), ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
