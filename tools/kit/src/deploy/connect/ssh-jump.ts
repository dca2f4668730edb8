import { userInfo } from 'node:os';
import { knownHostKeys } from './known-hosts.js';
import { parseJump, sshConfigFor } from './ssh-config.js';
import { configKeyFile, DEPLOY_DEFAULTS, type ResolvedTarget } from './target.js';

interface Credentials {
  readonly keyFile?: string | undefined;
  readonly keyText?: string | undefined;
  readonly agent?: string | undefined;
}

/**
 * A ProxyJump chain (`a,b`) as targets: b reached through a. Each hop takes HostName, Port, User
 * and IdentityFile from its own ~/.ssh/config entry (a hop's own ProxyJump is not followed), else
 * the target's key; its host key must be in known_hosts, as nothing in the model pins it.
 */
export function jumpChain(spec: string, env: NodeJS.ProcessEnv, target: Credentials): ResolvedTarget {
  let previous: ResolvedTarget | undefined;
  for (const hop of spec.split(',')) {
    const { user, host, port } = parseJump(hop);
    const entry = sshConfigFor([host], env);
    const address = entry?.hostName ?? host;
    const portNumber = Number(port ?? entry?.port ?? DEPLOY_DEFAULTS.port);
    const known = knownHostKeys([address], portNumber, env);
    const keyFile = entry?.identityFiles.length ? configKeyFile(entry, env) : target.keyFile;
    const current: ResolvedTarget = {
      name: `${host} (ProxyJump)`,
      address,
      port: portNumber,
      user: user ?? entry?.user ?? userInfo().username,
      hostKeyFrom: 'known_hosts',
      ...(known ? { known } : {}),
      ...(previous ? { jump: previous } : {}),
      ...(keyFile ? { keyFile } : target.keyText ? { keyText: target.keyText } : {}),
      ...(target.agent ? { agent: target.agent } : {}),
      composeCommand: DEPLOY_DEFAULTS.composeCommand,
      dockerCommand: 'docker',
      releaseRoot: DEPLOY_DEFAULTS.releaseRoot,
      keepReleases: DEPLOY_DEFAULTS.keepReleases,
      healthTimeoutSeconds: DEPLOY_DEFAULTS.healthTimeoutSeconds,
      via: 'ssh',
    };
    previous = current;
  }
  return previous!;
}
