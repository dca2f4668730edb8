import { DeployError } from './errors.js';
import type { RemoteLayout } from './layout.js';
import { LOCK_FD, type RemoteShell } from './remote-shell.js';
import { quote } from './shell.js';

/** Who holds the lock: written next to it, shown to whoever finds it taken. */
export interface LockInfo {
  readonly action: string;
  readonly by: string;
  readonly commit: string;
  readonly since: string;
}

export interface HeldLock {
  /** Set when the lock was left behind by a run that died: what that run was. */
  readonly stale?: string;
  /** True when another run held it and this one waited. */
  readonly waited: boolean;
  release(): Promise<void>;
}

function describe(info: string): string {
  try {
    const i = JSON.parse(info) as LockInfo;
    return `${i.action} by ${i.by} (commit ${i.commit}) since ${i.since}`;
  } catch {
    return info.trim() || 'an unknown run';
  }
}

/**
 * Takes the host's deploy lock: flock(1) on a file, held by the deploy's remote shell. The kernel
 * drops it when that shell ends, so a run that dies (killed, connection cut) cannot leave it held;
 * its info file stays behind, which is how the next run detects and reports the stale lock.
 * A lock held by a live run makes this wait up to `waitSeconds`, then fail with its holder.
 */
export async function acquireLock(
  shell: RemoteShell,
  layout: RemoteLayout,
  host: string,
  info: LockInfo,
  waitSeconds: number,
  onWait: (holder: string) => void,
): Promise<HeldLock> {
  const json = JSON.stringify(info);
  const take = (flockArgs: string) =>
    shell.runInShell(
      [
        `mkdir -p ${quote(layout.dir)} && exec ${LOCK_FD}>>${quote(layout.lock)}`,
        `if flock ${flockArgs} ${LOCK_FD}; then`,
        `  if [ -s ${quote(layout.lockInfo)} ]; then printf 'stale '; cat ${quote(layout.lockInfo)}; echo; fi`,
        `  printf '%s\\n' ${quote(json)} > ${quote(layout.lockInfo)}; echo acquired`,
        `else`,
        `  printf 'busy '; cat ${quote(layout.lockInfo)} 2>/dev/null; echo; exec ${LOCK_FD}>&-`,
        `fi`,
      ].join('\n'),
    );
  let r = await take('-n');
  let waited = false;
  if (!r.stdout.includes('acquired') && r.stdout.startsWith('busy ') && waitSeconds > 0) {
    onWait(describe(r.stdout.slice(5)));
    waited = true;
    r = await take(`-w ${Math.ceil(waitSeconds)}`);
  }
  if (!r.stdout.includes('acquired')) {
    if (r.stdout.startsWith('busy ')) {
      throw new DeployError('deploy-locked', `${host} is locked by another deploy: ${describe(r.stdout.slice(5))}. Wait for it to finish (or pass --wait <seconds>); a lock whose run died is released by itself.`);
    }
    throw new DeployError('lock-failed', `could not take the deploy lock ${layout.lock} on ${host}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`} (the host needs flock(1), from util-linux).`);
  }
  const staleLine = r.stdout.split('\n').find((l) => l.startsWith('stale '));
  return {
    ...(staleLine ? { stale: describe(staleLine.slice(6)) } : {}),
    waited,
    async release() {
      if (shell.closed) return;
      await shell.runInShell(`rm -f ${quote(layout.lockInfo)}; exec ${LOCK_FD}>&-`);
    },
  };
}
