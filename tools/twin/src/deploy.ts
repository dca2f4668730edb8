import { DEPLOY_SECONDS } from './wait.js';
import { envPrefix, KUBERNETES_AS_COMPOSE_ENV } from '@homelab/kit/internal';
import type { ExecResult, TwinNode } from './namespaces.js';
import type { NodeSshd } from './sshd.js';
import { HOMELAB_CLI, type TwinLab } from './lab.js';

/**
 * The variables a user's deploy would have, pointed at the twin: the deploy key, each host's
 * pinned host key, the test secret store and identity, and the twin's addresses as the only
 * ones deploy may connect to. `extra` adds per-host settings (the compose command of a VM).
 */
export function twinDeployEnv(lab: TwinLab, deployKey: string, sshds: readonly NodeSshd[], extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOMELAB_DEPLOY_KEY: deployKey,
    HOMELAB_SECRETS_DIR: lab.secretsDir,
    HOMELAB_AGE_IDENTITY: lab.identity,
    HOMELAB_DEPLOY_ALLOWED_ADDRESSES: sshds.map((s) => s.address).join(','),
    HOMELAB_DEPLOY_BY: 'twin@homelab-as-code',
    HOMELAB_DEPLOY_COMMIT: 'twin',
    NO_COLOR: '1',
    // Deploy loads the lab as the twin's build did: Kubernetes services in compose.
    [KUBERNETES_AS_COMPOSE_ENV]: '1',
  };
  for (const s of sshds) env[`${envPrefix(s.host)}HOSTKEY`] = s.hostKey;
  return { ...env, ...extra };
}

/** `homelab deploy <host>` as a user runs it, from the LAN client's namespace (the twin's addresses exist only there). */
export function homelabDeploy(client: TwinNode, lab: TwinLab, host: string, env: NodeJS.ProcessEnv, args: readonly string[] = []): Promise<ExecResult> {
  return client.exec([process.execPath, HOMELAB_CLI, 'deploy', host, ...args], { cwd: lab.ws.root, env, timeoutMs: DEPLOY_SECONDS * 1000 });
}
