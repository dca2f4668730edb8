import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { WAIT_SECONDS } from './wait.js';
import { join } from 'node:path';

/** What a command run in the twin returned. */
export interface ExecResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ExecOptions {
  readonly input?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Generous by default: the twin must pass on a loaded 2-core machine. */
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

/**
 * One machine of the twin: a network namespace on the twin's bridge at the host's real address,
 * and (where the node has one) a mount namespace of its own, held by a sleeping process.
 */
export interface TwinNode {
  /** The lab's name for it: 'pve', 'lxc-dns', 'vm-media', or a twin-only node ('client', 'offsite'). */
  readonly host: string;
  readonly address: string;
  /** The network namespace's name under /var/run/netns. */
  readonly netns: string;
  /** Its veth's end on the twin's bridge (in the bridge's namespace), or a peer's tunnel end in its router's namespace: where a guest's tap or veth would be on the node. */
  readonly port: string;
  /** The node's private folder in the twin's temp dir (its keys, logs, data). */
  readonly dir: string;
  /** argv that enters the node's namespaces: `[...node.enter, 'ip', 'addr']`. */
  readonly enter: readonly string[];
  /** Runs argv inside the node's namespaces; never throws on a non-zero exit. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Runs argv in the node's network namespace only, with this machine's files (the twin's own tools, node). */
  execNet(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Starts a long-running process inside the node's namespaces (a daemon); its output goes to `log`. */
  spawn(argv: readonly string[], options: { readonly log: string; readonly env?: NodeJS.ProcessEnv }): ChildProcess;
}

export const DEFAULT_EXEC_TIMEOUT_MS = Number(process.env.HOMELAB_TWIN_EXEC_TIMEOUT_MS ?? 300_000);

/** Runs a command to completion, capturing its output; a timeout kills it and reads as exit 124. */
export function execArgv(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const [cmd, ...args] = argv;
    const child = spawn(cmd!, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: timedOut ? 124 : (code ?? -1), stdout, stderr: timedOut ? `${stderr}\n(timed out after ${options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS} ms)` : stderr });
    });
    // A command that exits without reading its input (most do) closes the pipe: not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** The same, synchronously, for set-up and teardown steps. */
export function execSync(argv: readonly string[], options: { input?: string } = {}): ExecResult {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd!, args, { encoding: 'utf8', input: options.input ?? '', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
}

/** Runs set-up commands that must succeed; the first failure throws with its output. */
export function must(argv: readonly string[], what = argv.join(' ')): string {
  const r = execSync(argv);
  if (r.code !== 0) throw new Error(`twin: ${what} failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

/** The twin's private network: a bridge inside its own namespace, and one namespace per node. */
export interface TwinNetwork {
  readonly id: string;
  /** The twin's temp dir: every node's folder is `<dir>/hosts/<host>`. */
  readonly dir: string;
  readonly bridgeNetns: string;
  readonly prefixLength: number;
  readonly nodes: Map<string, TwinNode>;
  /** Adds a node at `address` on the bridge; `mount` gives it a mount namespace, set up by the script. */
  addNode(host: string, address: string, options?: { readonly mount?: MountSetup }): TwinNode;
  /**
   * Adds a node off the bridge, behind `via`: its eth0 is a veth whose other end is `link.name` in
   * `via`'s namespace, each end with its /32 (`address`, `link.address`) and a host route to the
   * other, as a point-to-point tunnel's ends are (a tailnet device and its subnet router's
   * tailscale0); `routes` go through `via`. Nothing else is done in `via`'s namespace.
   */
  addPeer(host: string, address: string, via: TwinNode, link: { readonly name: string; readonly address: string; readonly routes: readonly string[] }): TwinNode;
  /** Removes every namespace and process this network made. Safe to call twice. */
  teardown(): void;
}

export interface MountSetup {
  /** A shell script run as root inside the new mount namespace before it is held (binds, tmpfs). */
  readonly script: string;
  /** Shell text that holds the namespace (`exec sleep infinity` unless given: a root without the machine's /usr has no sleep of its own yet). */
  readonly holder?: string;
}

/**
 * Makes the twin's network: namespace `<id>-br` holds a bridge; every node gets a namespace
 * `<id>-<host>` whose eth0 is a veth into that bridge. Nothing is routed to the machine's own
 * network: no namespace has a default route and the bridge has no uplink.
 */
export function makeNetwork(id: string, prefixLength: number, twinDir: string): TwinNetwork {
  const bridgeNetns = `${id}-br`;
  const nodes = new Map<string, TwinNode>();
  const holders: ChildProcess[] = [];
  const made: string[] = [];
  must(['ip', 'netns', 'add', bridgeNetns]);
  made.push(bridgeNetns);
  must(['ip', '-n', bridgeNetns, 'link', 'add', 'br0', 'type', 'bridge']);
  must(['ip', '-n', bridgeNetns, 'link', 'set', 'br0', 'up']);
  must(['ip', '-n', bridgeNetns, 'link', 'set', 'lo', 'up']);
  let index = 0;
  /**
   * A node's namespace `<id>-<host>` and folder, its eth0 a veth whose other end is moved into
   * `other` (the bridge's namespace, or a router's). The other end is named for this twin: it is
   * made in the machine's namespace first, where another twin starting at the same moment makes
   * its own (a bare `v4` collided).
   */
  const namespaceWithVeth = (host: string, other: string) => {
    const netns = `${id}-${host}`;
    const dir = join(twinDir, 'hosts', host);
    mkdirSync(dir, { recursive: true });
    must(['ip', 'netns', 'add', netns]);
    made.push(netns);
    const port = `${id}v${index++}`;
    must(['ip', 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
    must(['ip', 'link', 'set', port, 'netns', other]);
    return { netns, dir, port };
  };
  const network: TwinNetwork = {
    id,
    dir: twinDir,
    bridgeNetns,
    prefixLength,
    nodes,
    addNode(host, address, options = {}) {
      const { netns, dir, port } = namespaceWithVeth(host, bridgeNetns);
      must(['ip', '-n', bridgeNetns, 'link', 'set', port, 'master', 'br0', 'up']);
      must(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
      must(['ip', '-n', netns, 'addr', 'add', `${address}/${prefixLength}`, 'dev', 'eth0']);
      must(['ip', '-n', netns, 'link', 'set', 'eth0', 'up']);
      let enter = ['nsenter', `--net=${netPathOf(netns)}`, '--'];
      if (options.mount) {
        const script = join(dir, 'mount-setup.sh');
        const ready = join(dir, 'mount-ready');
        writeFileSync(script, `set -e\n${options.mount.script}\n: > ${ready}\n${options.mount.holder ?? 'exec sleep infinity'}\n`);
        // Its output in a file: a mount that fails says why, instead of a bare timeout.
        const setupLog = join(dir, 'mount-setup.log');
        const out = openSync(setupLog, 'w');
        const holder = spawn('nsenter', [`--net=${netPathOf(netns)}`, '--', 'unshare', '--mount', '--propagation', 'slave', '--', 'sh', script], { stdio: ['ignore', out, out] });
        closeSync(out);
        holders.push(holder);
        waitForFile(ready, WAIT_SECONDS * 1000, `the mount namespace of ${host}`, () => {
          // The loop is synchronous, so the exit is read from /proc (a zombie until node reaps it).
          if (processRuns(holder.pid)) return undefined;
          return `its setup (${script}) ended: ${readFileSync(setupLog, 'utf8').trim().split('\n').slice(-5).join('\n') || 'no output'}`;
        });
        enter = ['nsenter', `--net=${netPathOf(netns)}`, `--mount=/proc/${holder.pid}/ns/mnt`, '--'];
        // unshare forks nothing here (sh is exec'd by unshare), so the holder's pid is the namespace's.
      }
      const node = twinNode(host, address, netns, port, dir, enter);
      nodes.set(host, node);
      return node;
    },
    addPeer(host, address, via, link) {
      const { netns, dir, port } = namespaceWithVeth(host, via.netns);
      must(['ip', '-n', via.netns, 'link', 'set', port, 'name', link.name]);
      must(['ip', '-n', via.netns, 'addr', 'add', `${link.address}/32`, 'dev', link.name]);
      must(['ip', '-n', via.netns, 'link', 'set', link.name, 'up']);
      must(['ip', '-n', via.netns, 'route', 'add', `${address}/32`, 'dev', link.name]);
      must(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
      must(['ip', '-n', netns, 'addr', 'add', `${address}/32`, 'dev', 'eth0']);
      must(['ip', '-n', netns, 'link', 'set', 'eth0', 'up']);
      must(['ip', '-n', netns, 'route', 'add', `${link.address}/32`, 'dev', 'eth0']);
      for (const r of link.routes) must(['ip', '-n', netns, 'route', 'add', r, 'via', link.address, 'dev', 'eth0']);
      const node = twinNode(host, address, netns, link.name, dir, ['nsenter', `--net=${netPathOf(netns)}`, '--']);
      nodes.set(host, node);
      return node;
    },
    teardown() {
      for (const h of holders.splice(0)) h.kill('SIGKILL');
      for (const ns of made.splice(0).reverse()) {
        // Processes still inside a namespace keep it alive: kill them by the namespace, not by name.
        const pids = execSync(['ip', 'netns', 'pids', ns]).stdout.split('\n').filter(Boolean);
        for (const pid of pids) execSync(['kill', '-9', pid]);
        execSync(['ip', 'netns', 'del', ns]);
      }
    },
  };
  return network;
}

const netPathOf = (netns: string) => `/var/run/netns/${netns}`;

function twinNode(host: string, address: string, netns: string, port: string, dir: string, enter: readonly string[]): TwinNode {
  return {
    host,
    address,
    netns,
    port,
    dir,
    enter,
    exec: (argv, o) => execArgv([...enter, ...argv], o),
    execNet: (argv, o) => execArgv(['nsenter', `--net=${netPathOf(netns)}`, '--', ...argv], o),
    spawn(argv, o) {
      const child = spawn(enter[0]!, [...enter.slice(1), ...argv], { env: o.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
      const log = createLog(o.log);
      child.stdout?.on('data', (d) => log(d));
      child.stderr?.on('data', (d) => log(d));
      return child;
    },
  };
}

/** A daemon's log file: appended to while the twin runs; output that arrives after teardown removed it is dropped. */
export function createLog(path: string): (chunk: Buffer | string) => void {
  writeFileSync(path, '');
  return (chunk) => {
    try {
      writeFileSync(path, chunk, { flag: 'a' });
    } catch {
      // the twin's dir is gone (teardown): nothing to log to
    }
  };
}

function processRuns(pid: number | undefined): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** Waits for a file (bounded: HOMELAB_TWIN_WAIT_SECONDS); `ended` says why it never will (its writer exited), if it did. */
function waitForFile(path: string, timeoutMs: number, what: string, ended: () => string | undefined = () => undefined): void {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    const why = ended();
    if (why !== undefined && !existsSync(path)) throw new Error(`twin: ${what} never came up: ${why}`);
    if (Date.now() > deadline) throw new Error(`twin: timed out waiting for ${what} (${timeoutMs / 1000} s; HOMELAB_TWIN_WAIT_SECONDS)`);
    execSync(['sleep', '0.05']);
  }
}
