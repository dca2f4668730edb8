import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { DeployError, messageOf } from '../../common/errors.js';

/** What a ~/.ssh/config Host entry says about reaching one machine. */
export interface SshConfigEntry {
  readonly hostName?: string;
  readonly port?: string;
  readonly user?: string;
  /** IdentityFile paths, ~ and %d/%h/%r/%u expanded, in the order given. */
  readonly identityFiles: readonly string[];
  /** ProxyJump as written: [user@]host[:port], possibly a comma-separated chain. */
  readonly proxyJump?: string;
  /** Where the entry was read (for messages). */
  readonly file: string;
}

/** The user's home: $HOME when set (tests point it at a temp folder), else the OS's answer. */
export function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || homedir();
}

/** ~/.ssh/config, or HOMELAB_SSH_CONFIG (a path; "none" reads no file). */
export function sshConfigFile(env: NodeJS.ProcessEnv): string | undefined {
  const set = env.HOMELAB_SSH_CONFIG;
  if (set === 'none') return undefined;
  return set || join(homeOf(env), '.ssh', 'config');
}

const cache = new Map<string, SSHConfig>();

function parsed(file: string): SSHConfig | undefined {
  if (!existsSync(file)) return undefined;
  const hit = cache.get(file);
  if (hit) return hit;
  let config: SSHConfig;
  try {
    config = SSHConfig.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DeployError('ssh-config-invalid', `cannot read ${file}: ${messageOf(e)}. Fix it, or set HOMELAB_SSH_CONFIG=none to deploy without it.`);
  }
  cache.set(file, config);
  return config;
}

type Computed = Record<string, string | string[]>;

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function all(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function expand(path: string, home: string, host: string, user: string): string {
  const tokens: Record<string, string> = { '%': '%', d: home, h: host, r: user, u: userInfo().username };
  return path.replace(/^~(?=\/|$)/, home).replace(/%([%dhru])/g, (_m, t: string) => tokens[t]!);
}

/**
 * The Host entries that match `names` (the machine's name first, then its address): the first
 * name that some entry other than a catch-all (`Host *`) names is the one looked up, the way
 * `ssh <that name>` would. `Match exec` is never run.
 */
export function sshConfigFor(names: readonly string[], env: NodeJS.ProcessEnv = process.env): SshConfigEntry | undefined {
  const file = sshConfigFile(env);
  const config = file ? parsed(file) : undefined;
  if (!file || !config) return undefined;
  const opts = { ignoreCase: true, matchExec: false } as const;
  const strip = (c: Computed) => JSON.stringify(Object.entries(c).filter(([k]) => k !== 'host'));
  const everyone = strip(config.compute('homelab.invalid.', opts) as Computed);
  for (const name of names) {
    const c = config.compute(name, opts) as Computed;
    if (strip(c) === everyone) continue;
    const home = homeOf(env);
    const hostName = first(c.hostname)?.replace(/%h/g, name);
    const user = first(c.user);
    return {
      ...(hostName ? { hostName } : {}),
      ...(c.port ? { port: first(c.port)! } : {}),
      ...(user ? { user } : {}),
      identityFiles: all(c.identityfile).map((p) => expand(p, home, hostName ?? name, user ?? 'root')),
      ...(c.proxyjump && first(c.proxyjump) !== 'none' ? { proxyJump: first(c.proxyjump)! } : {}),
      file,
    };
  }
  return undefined;
}

/** `[user@]host[:port]` of a ProxyJump hop. */
export function parseJump(hop: string): { user?: string; host: string; port?: string } {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hop.trim().replace(/^ssh:\/\//, ''));
  if (!m) throw new DeployError('target-invalid', `cannot read the ProxyJump hop "${hop}": give [user@]host[:port].`);
  return { ...(m[1] ? { user: m[1] } : {}), host: m[2]!.replace(/^\[|\]$/g, ''), ...(m[3] ? { port: m[3] } : {}) };
}
