import { execFileSync, spawnSync } from 'node:child_process';

/**
 * The path of a real tool the system tier needs. A missing tool throws, so the tier fails
 * instead of skipping: install it with tools/testing/install-system-deps.sh.
 */
export function requireTool(name: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error(`system tier: "${name}" is not installed; run tools/testing/install-system-deps.sh (as root).`);
  }
  return path;
}

/** Runs a command; returns its exit code and output without throwing on a non-zero exit. */
export function run(command: string, args: readonly string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

export function which(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
