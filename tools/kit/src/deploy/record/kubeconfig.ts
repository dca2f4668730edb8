import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostDef } from '../../model/host.js';
import { KUBECONFIG_SECRET } from '../../model/kubernetes.js';
import { encryptValue } from '../../secrets/age.js';
import { DeployError } from '../../common/errors.js';
import { openSession } from '../connect/session.js';
import { hostTarget, type TargetOverrides } from '../connect/target.js';

/** Where k3s writes the admin kubeconfig (server https://127.0.0.1:6443: reached through an SSH tunnel). */
export const K3S_KUBECONFIG_PATH = '/etc/rancher/k3s/k3s.yaml';

/** The text k3s wrote, checked to be a kubeconfig before it is kept. */
export function checkKubeconfig(host: string, text: string): string {
  if (!/^kind: Config$/m.test(text) || !/^clusters:/m.test(text)) {
    throw new DeployError('kubeconfig-invalid', `${host}:${K3S_KUBECONFIG_PATH} is not a kubeconfig: has k3s started there (cloud-init installs it at first boot)?`);
  }
  return text;
}

/**
 * Reads the cluster's admin kubeconfig from the host over SSH and keeps it in the age store as
 * secrets/<host>/k3s_kubeconfig.age: the way to the cluster lives with the lab's other secrets,
 * never in plain text in the repository. Returns the file written.
 */
export async function storeKubeconfig(options: {
  readonly host: HostDef;
  readonly secretsDir: string;
  readonly recipients: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly overrides?: TargetOverrides;
}): Promise<string> {
  const { host } = options;
  if (!host.kubernetes) throw new DeployError('kubernetes-missing', `${host.name} has no Kubernetes cluster (\`kubernetes\` on the host), so no kubeconfig to keep.`);
  const session = await openSession(hostTarget(host, options.env, options.overrides), host.name);
  let text: string;
  try {
    text = checkKubeconfig(host.name, await session.shell.check('reading the kubeconfig', `cat ${K3S_KUBECONFIG_PATH}`));
  } finally {
    await session.close();
  }
  const file = join(options.secretsDir, host.name, `${KUBECONFIG_SECRET}.age`);
  mkdirSync(join(options.secretsDir, host.name), { recursive: true });
  writeFileSync(file, await encryptValue(text, options.recipients));
  return file;
}
