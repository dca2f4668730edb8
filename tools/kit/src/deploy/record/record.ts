import { spawnSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';

/** Who deployed which commit when: kept on the host, shown by `homelab plan`. */
export interface DeployRecord {
  readonly by: string;
  readonly commit: string;
  /** ISO time, UTC. */
  readonly at: string;
}

/** One line of deploys.jsonl. */
export interface HistoryEntry extends DeployRecord {
  readonly action: 'deploy' | 'rollback';
  readonly release: string;
  readonly previous?: string;
  readonly result: 'ok' | 'failed' | 'rolled-back';
  readonly error?: string;
  /**
   * The compose config hash of each service's container once the release that runs after this
   * entry (see runningAfter) was healthy: a container removed or changed by hand differs from it.
   */
  readonly containers?: Readonly<Record<string, string>>;
}

/** The release that runs healthy after an entry: the deployed one, the one rolled back to, or none known (failed). */
export function runningAfter(entry: HistoryEntry): string | undefined {
  if (entry.result === 'ok') return entry.release;
  if (entry.result === 'rolled-back') return entry.previous;
  return undefined;
}

/** HEAD's commit (short) and whether tracked files differ from it, from one `git status`. */
function gitCommit(root: string): string {
  const r = spawnSync('git', ['status', '--porcelain=v2', '--branch', '--untracked-files=no'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) return 'unknown';
  const lines = r.stdout.split('\n');
  const oid = lines.find((l) => l.startsWith('# branch.oid '))?.slice(13).trim();
  if (!oid || oid === '(initial)') return 'unknown';
  const dirty = lines.some((l) => l && !l.startsWith('#'));
  return `${oid.slice(0, 12)}${dirty ? '+dirty' : ''}`;
}

/** HOMELAB_DEPLOY_BY / HOMELAB_DEPLOY_COMMIT win (CI); else user@machine and git HEAD (+dirty). */
export function currentRecord(root: string, env: NodeJS.ProcessEnv = process.env, now = new Date()): DeployRecord {
  const by = env.HOMELAB_DEPLOY_BY || `${env.GITHUB_ACTOR || userInfo().username}@${hostname()}`;
  const commit = env.HOMELAB_DEPLOY_COMMIT || gitCommit(root);
  return { by, commit, at: now.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

export function formatRecord(r: DeployRecord): string {
  return `${r.by}, commit ${r.commit}, ${r.at}`;
}
