import { cpSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { commitWorkspace, type GitWorkspace } from './git-workspace.js';
import { repoRoot } from './workspace.js';

export interface NxRun {
  readonly code: number | null;
  readonly out: string;
  /** The tasks Nx ran (not read from its cache), e.g. `@homelab/vm-media:build`, sorted. */
  readonly executed: string[];
  /** The tasks Nx took from its cache. */
  readonly cached: string[];
}

export interface NxWorkspace extends GitWorkspace {
  /** `nx <args> --output-style=static` in the workspace, without the daemon or the cloud. */
  nx(...args: string[]): NxRun;
  /** The same, with more environment variables. */
  nxWith(env: NodeJS.ProcessEnv, ...args: string[]): NxRun;
  /** `git checkout -q <ref> -- .` and drop what the ref does not have (dist/ and caches stay). */
  reset(ref: string): void;
}

export interface NxWorkspaceOptions {
  /**
   * Nx's cache is this workspace's (.nx/cache here): what was built here is restored in the copy,
   * not built again. Without it, the copy has a cache of its own (.nx/ in the copy).
   */
  readonly sharedCache?: boolean;
}

/**
 * A throwaway git repository of this whole workspace as committed or changed here (every file
 * git knows, nx.json and the Nx plugin included), installed offline from pnpm's store. A test
 * runs Nx there, never here: Nx restores a task's outputs from its cache by deleting and
 * rewriting them (tools/kit/lib included), under every `homelab` that runs here meanwhile.
 */
export function makeNxWorkspace(options: NxWorkspaceOptions = {}): NxWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'homelab-nx-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(repoRoot, file))) continue; // deleted here, not yet committed
    mkdirSync(dirname(join(root, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(root, file));
  }
  // Its own install, from the store this one was installed from (offline: about two seconds).
  execFileSync('pnpm', ['install', '--offline', '--frozen-lockfile', '--reporter=silent'], { cwd: root, stdio: 'pipe' });
  const ws = commitWorkspace(root);
  const env = {
    ...process.env,
    CI: 'true',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_SKIP_NX_CACHE: undefined,
    NX_CACHE_DIRECTORY: options.sharedCache ? join(repoRoot, '.nx', 'cache') : undefined,
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
  const nxWith = (more: NodeJS.ProcessEnv, ...args: string[]): NxRun => {
    const r = spawnSync(join(root, 'node_modules', '.bin', 'nx'), [...args, '--output-style=static'], { cwd: root, env: { ...env, ...more }, encoding: 'utf8' });
    // eslint-disable-next-line no-control-regex
    const out = `${r.stdout}${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    const tasks = [...out.matchAll(/^> nx run (\S+)(.*)$/gm)];
    const isCached = (rest: string) => /\[(local|remote) cache\]|\[existing outputs match the cache/.test(rest);
    return {
      code: r.status,
      out,
      executed: tasks.filter((t) => !isCached(t[2]!)).map((t) => t[1]!).sort(),
      cached: tasks.filter((t) => isCached(t[2]!)).map((t) => t[1]!).sort(),
    };
  };
  return {
    ...ws,
    nx: (...args) => nxWith({}, ...args),
    nxWith,
    reset(ref) {
      execFileSync('git', ['reset', '-q', '--hard', ref], { cwd: root });
      execFileSync('git', ['clean', '-q', '-fd'], { cwd: root });
    },
  };
}
