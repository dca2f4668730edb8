import { spawnSync } from 'node:child_process';
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
