import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '@homelab/testing';
import { createLog, execArgv, execSync, must, type ExecResult } from '../namespaces.js';
import { waitUntil, WAIT_SECONDS } from '../wait.js';

/**
 * The twin's storage: one zfs-fuse daemon (Debian's ZFS in user space, pool version 23) in a
 * mount namespace of its own (its /etc/zfs and /run are the twin's, so nothing of the machine's
 * is read or written), pools on sparse files, mounted under `poolRoot` (each pool's altroot).
 * `poolRoot` is a shared mount: what the daemon mounts there shows in the machine's namespace and
 * in every namespace made from it afterwards (the Proxmox node's /tank, containers, VMs).
 */
export interface TwinStorage {
  readonly dir: string;
  /** Where pools mount in the machine's mount namespace: pool `tank` at `<poolRoot>/tank`. */
  readonly poolRoot: string;
  /** The daemon's socket folder: bound at /run/zfs where zfs and zpool run. */
  readonly socketDir: string;
  /** The `zfs` of the twin's nodes: real zfs with what zfs-fuse cannot hold mapped (bin/zfs-map.mjs). */
  readonly zfsWrapper: string;
  /** Runs zfs/zpool (argv) in the daemon's namespace. */
  run(argv: readonly string[]): Promise<ExecResult>;
  createPool(name: string, sizeMiB: number): Promise<void>;
  /** Every property mapping the wrapper made, one line each (for the report). */
  mappings(): string[];
  /** Whether the zfs-fuse daemon still runs. */
  running(): boolean;
  teardown(): void;
}

/** The twin's scripts that run inside its namespaces (plain JavaScript: node runs them as they are). */
export const TWIN_BIN = join(repoRoot, 'tools', 'twin', 'bin');
const MAP_SCRIPT = join(TWIN_BIN, 'zfs-map.mjs');

export async function startStorage(dir: string): Promise<TwinStorage> {
  const poolRoot = join(dir, 'pools');
  const runDir = join(dir, 'run');
  const etcDir = join(dir, 'etc-zfs');
  for (const d of [poolRoot, join(runDir, 'lock'), etcDir]) mkdirSync(d, { recursive: true });
  if (existsSync('/etc/zfs/zfsrc')) copyFileSync('/etc/zfs/zfsrc', join(etcDir, 'zfsrc'));
  must(['mount', '--bind', poolRoot, poolRoot]);
  must(['mount', '--make-shared', poolRoot]);
  const pools: string[] = [];
  const files: string[] = [];
  const log = join(dir, 'zfs-fuse.log');
  // zfs tells a mounted dataset by its name in the mount table: another twin's pool `tank`
  // (mounted on this machine) would read as ours ("cannot mount 'tank': mountpoint or dataset is
  // busy"). So the daemon's namespace takes no mount from outside once it starts: every mount but
  // our pool folder (whose mounts must still reach the machine) is made private here, which also
  // stops a twin started later from propagating its pool in; then the other twins' pools already
  // mounted leave this namespace (private first, so the unmount reaches no other namespace).
  const isolate = `findmnt -rn -o TARGET | while read -r t; do case "$t" in '${poolRoot}'|'${poolRoot}'/*) ;; *) mount --make-private "$t" 2>/dev/null ;; esac; done`;
  const foreign = `findmnt -rn -t fuse.zfs -o TARGET | grep -v '^${poolRoot}' | while read -r t; do mount --make-rprivate "$t" 2>/dev/null && umount -l "$t" 2>/dev/null; done`;
  const script = `${isolate}; ${foreign}; mount --bind ${etcDir} /etc/zfs && mount --bind ${runDir} /run && exec zfs-fuse --no-daemon --no-kstat-mount`;
  const daemon: ChildProcess = spawn('unshare', ['--mount', '--propagation', 'unchanged', 'sh', '-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logLine = createLog(log);
  daemon.stdout?.on('data', logLine);
  daemon.stderr?.on('data', logLine);
  const socketDir = join(runDir, 'zfs');
  const shadow = join(dir, 'zfs-shadow.json');
  const mapLog = join(dir, 'zfs-mappings.log');
  writeFileSync(mapLog, '');
  const zfsWrapper = join(dir, 'zfs');
  writeFileSync(zfsWrapper, `#!/bin/sh\nexec ${process.execPath} ${MAP_SCRIPT} ${shadow} ${mapLog} "$@"\n`, { mode: 0o755 });
  const enter = () => ['nsenter', `--mount=/proc/${daemon.pid}/ns/mnt`, '--'];
  const storage: TwinStorage = {
    dir,
    poolRoot,
    socketDir,
    zfsWrapper,
    run: (argv) => execArgv([...enter(), ...argv]),
    async createPool(name, sizeMiB) {
      const file = join(dir, `${name}.img`);
      must(['truncate', '-s', `${sizeMiB}M`, file]);
      files.push(file);
      const r = await storage.run(['zpool', 'create', '-R', poolRoot, '-m', `/${name}`, name, file]);
      if (r.code !== 0) throw new Error(`twin: zpool create ${name} failed: ${r.stderr || r.stdout}`);
      pools.push(name);
    },
    running() {
      // Exited = gone or a zombie (node reaps it later, on its event loop).
      try {
        return !/^State:\s*Z/m.test(readFileSync(`/proc/${daemon.pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    },
    mappings: () => [...new Set(readFileSync(mapLog, 'utf8').split('\n').filter(Boolean))],
    teardown() {
      if (daemon.exitCode === null && daemon.pid) {
        for (const p of pools.splice(0).reverse()) execSync([...enter(), 'zpool', 'destroy', '-f', p]);
        daemon.kill('SIGTERM');
        const deadline = Date.now() + WAIT_SECONDS * 1000;
        while (storage.running() && Date.now() < deadline) execSync(['sleep', '0.1']);
        daemon.kill('SIGKILL');
      }
      execSync(['umount', '-R', '-l', poolRoot]);
      for (const f of files) rmSync(f, { force: true });
    },
  };
  try {
    await waitUntil('the zfs-fuse daemon', () => existsSync(join(socketDir, 'zfs_socket')) || daemon.exitCode !== null);
    if (daemon.exitCode !== null) throw new Error(`twin: zfs-fuse exited (${daemon.exitCode}): ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
  } catch (e) {
    storage.teardown();
    throw e;
  }
  return storage;
}
