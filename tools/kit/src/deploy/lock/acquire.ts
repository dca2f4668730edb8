import { DeployError } from '../../common/errors.js';
import type { RemoteLayout } from '../release/layout.js';
import { LOCK_FD, type RemoteShell } from '../../shell/remote-shell.js';
import { processAlive } from '../../common/process-alive.js';
import { quote } from '../../shell/quote.js';

/** Who holds the lock: written next to it, shown to whoever finds it taken. */
export interface LockInfo {
  readonly action: string;
  readonly by: string;
  readonly commit: string;
  readonly since: string;
  /** The deploy's own process and the machine it runs on: gone there means the holder is gone. */
  readonly pid?: number;
  readonly client?: string;
}

/** What the host adds to the info: its shell holding the lock, and its boot id (a pid means nothing across boots). */
interface HeldInfo extends LockInfo {
  readonly shell?: number;
  readonly boot?: string;
}

export interface HeldLock {
  /** Set when the lock was left behind by a run that died: what that run was. */
  readonly stale?: string;
  /** True when another run held it and this one waited. */
  readonly waited: boolean;
  /** Set when the holder's process was gone and its shell on the host was stopped to take the lock: who it was. */
  readonly takenOver?: string;
  release(): Promise<void>;
}

function parseInfo(info: string): HeldInfo | undefined {
  try {
    return JSON.parse(info) as HeldInfo;
  } catch {
    return undefined;
  }
}

function describe(info: string): string {
  const i = parseInfo(info);
  return i ? `${i.action} by ${i.by} (commit ${i.commit}) since ${i.since}` : info.trim() || 'an unknown run';
}

/**
 * A holder that ran on this machine and whose process is gone: its connection was cut without a
 * FIN or RST (a partition), so sshd on the host still keeps its shell, and with it the lock.
 */
function vanishedHolder(info: HeldInfo | undefined, client: string | undefined): info is HeldInfo & { shell: number; boot: string; pid: number } {
  return !!info && !!client && info.client === client && typeof info.pid === 'number' && typeof info.shell === 'number' && typeof info.boot === 'string' && !processAlive(info.pid);
}

/** Stops the shell (and its process group: the step it was running) that holds the lock, if the host has not rebooted since. */
function stopHolderScript(holder: { shell: number; boot: string }): string {
  return [`[ "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)" = ${quote(holder.boot)} ] || exit 0`, `kill -s TERM -- -${holder.shell} 2>/dev/null || kill -s TERM ${holder.shell} 2>/dev/null || :`].join('\n');
}

/** Seconds a take-over waits for the stopped holder's shell to let the lock go. */
const TAKEOVER_WAIT_SECONDS = 30;

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
  // The info is completed on the host: the shell that holds the lock and the boot id.
  const take = (flockArgs: string) =>
    shell.runInShell(
      [
        // A folder that cannot be written is said as it is (a failed `exec` redirection would end the shell).
        `__hl_err=$( (mkdir -p ${quote(layout.dir)} && : >> ${quote(layout.lock)}) 2>&1 )`,
        `if [ -n "$__hl_err" ]; then printf 'unwritable %s\\n' "$__hl_err"; else`,
        `exec ${LOCK_FD}>>${quote(layout.lock)}`,
        `if flock ${flockArgs} ${LOCK_FD}; then`,
        `  if [ -s ${quote(layout.lockInfo)} ]; then printf 'stale '; cat ${quote(layout.lockInfo)}; echo; fi`,
        `  printf '%s,"shell":%s,"boot":"%s"}\\n' ${quote(json.slice(0, -1))} "$$" "$(cat /proc/sys/kernel/random/boot_id 2>/dev/null)" > ${quote(layout.lockInfo)}; echo acquired`,
        `else`,
        `  printf 'busy '; cat ${quote(layout.lockInfo)} 2>/dev/null; echo; exec ${LOCK_FD}>&-`,
        `fi; fi`,
      ].join('\n'),
    );
  let r = await take('-n');
  let waited = false;
  let takenOver: string | undefined;
  const holder = r.stdout.startsWith('busy ') ? parseInfo(r.stdout.slice(5).split('\n')[0] ?? '') : undefined;
  if (vanishedHolder(holder, info.client)) {
    takenOver = `${describe(r.stdout.slice(5))}; its process ${holder.pid} on ${holder.client} is gone`;
    await shell.run(stopHolderScript(holder));
    r = await take(`-w ${TAKEOVER_WAIT_SECONDS}`);
  }
  if (!r.stdout.includes('acquired') && r.stdout.startsWith('busy ') && waitSeconds > 0) {
    onWait(describe(r.stdout.slice(5)));
    waited = true;
    r = await take(`-w ${Math.ceil(waitSeconds)}`);
  }
  if (!r.stdout.includes('acquired')) {
    if (r.stdout.startsWith('unwritable ')) throw unwritable(host, layout, r.stdout.slice(11).trim());
    if (r.stdout.startsWith('busy ')) {
      throw new DeployError('deploy-locked', `${host} is locked by another deploy: ${describe(r.stdout.slice(5))}. Wait for it to finish (or pass --wait <seconds>); a lock whose run died is released by itself.`);
    }
    throw new DeployError('lock-failed', `could not take the deploy lock ${layout.lock} on ${host}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`} (the host needs flock(1), from util-linux).`);
  }
  const staleLine = r.stdout.split('\n').find((l) => l.startsWith('stale '));
  return {
    ...(staleLine && !takenOver ? { stale: describe(staleLine.slice(6)) } : {}),
    ...(takenOver ? { takenOver } : {}),
    waited,
    async release() {
      if (shell.closed) return;
      await shell.runInShell(`rm -f ${quote(layout.lockInfo)}; exec ${LOCK_FD}>&-`);
    },
  };
}

/** The release folder cannot be written: said as read-only when the file system is, else with the host's words. */
function unwritable(host: string, layout: RemoteLayout, why: string): DeployError {
  if (/read-only/i.test(why)) {
    return new DeployError('release-root-read-only', `${layout.dir} on ${host} is on a read-only file system: nothing was changed. Remount it read-write (a disk error may have made the kernel remount it read-only: check dmesg), or point the release root elsewhere (${'`'}deploy.releaseRoot${'`'}, HOMELAB_DEPLOY_<HOST>_ROOT). The host said: ${why}`);
  }
  return new DeployError('release-root-unwritable', `${layout.dir} on ${host} cannot be written: ${why}. Nothing was changed.`);
}
