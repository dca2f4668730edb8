import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeployTarget } from '../../model/host.js';
import type { Lab } from '../../model/lab.js';
import type { Machine } from '../../model/proxmox-host.js';
import { DeployError } from '../../common/errors.js';
import { knownHostKeys, type KnownKeys } from './known-hosts.js';
import { homeOf, sshConfigFor, type SshConfigEntry } from './ssh-config.js';
import { jumpChain } from './ssh-jump.js';
import { guestNode, nodeAddress } from '../../model/placement.js';

/** Everything deploy needs to reach one machine, every default filled in. */
export interface ResolvedTarget {
  /** The host (or Proxmox node) this target reaches. */
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly hostKey?: string;
  /** Where the pinned host key came from (for messages): the model, a variable or a flag. */
  readonly hostKeyFrom: string;
  /** The keys ~/.ssh/known_hosts lists for the address: trusted when no key is pinned. */
  readonly known?: KnownKeys;
  /** ProxyJump: the machine to connect through first (itself possibly behind another). */
  readonly jump?: ResolvedTarget;
  /** A private key file; when absent, the SSH agent and ~/.ssh/id_* are tried. */
  readonly keyFile?: string;
  /** The private key itself, from HOMELAB_SSH_KEY (a CI secret), when no key file is named. */
  readonly keyText?: string;
  /** The ssh-agent socket (SSH_AUTH_SOCK), tried besides the key file. */
  readonly agent?: string;
  readonly composeCommand: string;
  readonly dockerCommand: string;
  readonly releaseRoot: string;
  readonly keepReleases: number;
  readonly healthTimeoutSeconds: number;
  readonly via: 'ssh' | 'proxmox';
}

/** Per-run settings from flags; they win over variables, which win over the model. */
export interface TargetOverrides {
  readonly address?: string;
  readonly port?: string | number;
  readonly user?: string;
  readonly hostKey?: string;
  readonly compose?: string;
  readonly docker?: string;
  readonly root?: string;
  readonly key?: string;
}

export const DEPLOY_DEFAULTS = {
  user: 'root',
  port: 22,
  composeCommand: 'docker compose',
  releaseRoot: '/opt/homelab',
  keepReleases: 5,
  healthTimeoutSeconds: 120,
} as const;

/** HOMELAB_DEPLOY_VM_MEDIA_ for vm-media: upper case, anything but letters and digits as `_`. */
export function envPrefix(name: string): string {
  return `HOMELAB_DEPLOY_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
}

/** The variables one target reads, by setting: documented in docs/deploy.md. */
export const ENV_SUFFIXES = {
  address: 'ADDRESS',
  port: 'PORT',
  user: 'USER',
  hostKey: 'HOSTKEY',
  compose: 'COMPOSE',
  docker: 'DOCKER',
  root: 'ROOT',
  key: 'KEY',
  keep: 'KEEP',
  healthTimeout: 'HEALTH_TIMEOUT',
} as const;

/** "docker compose" -> "docker"; "env DOCKER_HOST=x docker-compose" -> "env DOCKER_HOST=x docker". */
export function dockerCommandFor(composeCommand: string): string {
  const replaced = composeCommand.replace(/(^|\s)(\S*\/)?docker(-compose|\s+compose)\s*$/, '$1$2docker');
  return replaced === composeCommand ? 'docker' : replaced;
}

/** docker-compose v1 predates the top-level `name` and `--wait`; anything else is read as compose v2. */
export function isComposeV1(composeCommand: string): boolean {
  return /(^|\s|\/)docker-compose(\s|$)/.test(composeCommand);
}

function positiveInt(value: string, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new DeployError('target-invalid', `${what} must be a positive whole number; got "${value}".`);
  return n;
}

function defaultKeyFile(env: NodeJS.ProcessEnv): string | undefined {
  if (env.SSH_AUTH_SOCK) return undefined;
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(homeOf(env), '.ssh', f)).find((f) => existsSync(f));
}

/** The first IdentityFile of a ~/.ssh/config entry that exists, else the usual ~/.ssh/id_*. */
export function configKeyFile(entry: SshConfigEntry | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return entry?.identityFiles.find((f) => existsSync(f)) ?? defaultKeyFile(env);
}

/**
 * One machine's target. Each setting is the first of: a flag, a HOMELAB_DEPLOY_<NAME>_* variable,
 * the model's `deploy` settings, a ~/.ssh/config Host entry for the name (or else the address),
 * then the machine's address in the model and the defaults. See docs/deploy.md.
 */
export function resolveTarget(
  name: string,
  address: string | undefined,
  model: DeployTarget | undefined,
  defaultVia: 'ssh' | 'proxmox',
  env: NodeJS.ProcessEnv = process.env,
  flags: TargetOverrides = {},
): ResolvedTarget {
  const prefix = envPrefix(name);
  const fromEnv = (suffix: string) => {
    const value = env[`${prefix}${suffix}`];
    return value === undefined || value === '' ? undefined : value;
  };
  const ssh = sshConfigFor([name, ...(model?.address ?? address ? [(model?.address ?? address)!] : [])], env);
  const where = flags.address ?? fromEnv(ENV_SUFFIXES.address) ?? model?.address ?? ssh?.hostName ?? address;
  if (!where) {
    throw new DeployError('target-address-missing', `${name} has no address to deploy to; set it in the model or with ${prefix}${ENV_SUFFIXES.address}.`);
  }
  const port = flags.port ?? fromEnv(ENV_SUFFIXES.port) ?? (model?.port === undefined ? ssh?.port : undefined);
  const keep = fromEnv(ENV_SUFFIXES.keep);
  const health = fromEnv(ENV_SUFFIXES.healthTimeout);
  const hostKeyFlag = flags.hostKey;
  const hostKeyEnv = fromEnv(ENV_SUFFIXES.hostKey);
  const hostKey = hostKeyFlag ?? hostKeyEnv ?? model?.hostKey;
  const hostKeyFrom = hostKeyFlag
    ? '--host-key'
    : hostKeyEnv
      ? `${prefix}${ENV_SUFFIXES.hostKey}`
      : `deploy.hostKey of ${name}`;
  const composeCommand = flags.compose ?? fromEnv(ENV_SUFFIXES.compose) ?? model?.composeCommand ?? DEPLOY_DEFAULTS.composeCommand;
  const namedKey = flags.key ?? fromEnv(ENV_SUFFIXES.key) ?? (env.HOMELAB_DEPLOY_KEY || undefined);
  const keyText = namedKey ? undefined : env.HOMELAB_SSH_KEY || undefined;
  const keyFile = namedKey ?? (keyText ? undefined : configKeyFile(ssh, env));
  const portNumber = port !== undefined ? positiveInt(String(port), `the SSH port of ${name}`) : (model?.port ?? DEPLOY_DEFAULTS.port);
  const known = knownHostKeys([where], portNumber, env);
  const jump = ssh?.proxyJump ? jumpChain(ssh.proxyJump, env, { keyFile, keyText, agent: env.SSH_AUTH_SOCK }) : undefined;
  return {
    name,
    address: where,
    port: portNumber,
    user: flags.user ?? fromEnv(ENV_SUFFIXES.user) ?? model?.user ?? ssh?.user ?? DEPLOY_DEFAULTS.user,
    ...(hostKey ? { hostKey } : {}),
    hostKeyFrom,
    ...(known ? { known } : {}),
    ...(jump ? { jump } : {}),
    ...(keyFile ? { keyFile } : {}),
    ...(keyText ? { keyText } : {}),
    ...(env.SSH_AUTH_SOCK ? { agent: env.SSH_AUTH_SOCK } : {}),
    composeCommand,
    dockerCommand: flags.docker ?? fromEnv(ENV_SUFFIXES.docker) ?? model?.dockerCommand ?? dockerCommandFor(composeCommand),
    releaseRoot: flags.root ?? fromEnv(ENV_SUFFIXES.root) ?? model?.releaseRoot ?? DEPLOY_DEFAULTS.releaseRoot,
    keepReleases: keep ? positiveInt(keep, `${prefix}${ENV_SUFFIXES.keep}`) : (model?.keepReleases ?? DEPLOY_DEFAULTS.keepReleases),
    healthTimeoutSeconds: health
      ? positiveInt(health, `${prefix}${ENV_SUFFIXES.healthTimeout}`)
      : (model?.healthTimeoutSeconds ?? DEPLOY_DEFAULTS.healthTimeoutSeconds),
    via: model?.via ?? defaultVia,
  };
}

/** The target of a machine: its own address and `deploy` settings. */
export function hostTarget(host: Machine, env?: NodeJS.ProcessEnv, flags?: TargetOverrides): ResolvedTarget {
  return resolveTarget(host.name, host.address, host.deploy, host.kind === 'lxc' ? 'proxmox' : 'ssh', env, flags);
}

/**
 * The Proxmox node a guest runs on (its `node`, a placement rule, or the default), reached over
 * SSH to run pct and qm: the lab's Proxmox host package for that node (its address and `deploy`),
 * else the node's address in the facts, else only HOMELAB_DEPLOY_<NODE>_* variables.
 */
export function nodeTarget(lab: Lab, host: Machine, env?: NodeJS.ProcessEnv, flags?: TargetOverrides): ResolvedTarget {
  const node = host.kind === 'pve' ? host.node : guestNode(lab.facts, host);
  const machine = (lab.nodes ?? []).find((n) => n.node === node);
  return { ...resolveTarget(machine?.name ?? node, nodeAddress(lab, node), machine?.deploy, 'ssh', env, flags), via: 'proxmox' };
}
