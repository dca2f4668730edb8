import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CA_CERT_FILE, caPermittedDomains, certificateNames, createCa, encryptValue, issueServerCertificate, KUBERNETES_AS_COMPOSE_ENV, loadLab, newIdentity, proxyHost, readLocalRelease, TLS_SECRETS, writeDist, type KeyPair, type LoadedLab, type Machine } from '@homelab/kit/internal';
import { makeWorkspace, repoRoot, type Workspace } from '@homelab/testing';
import { execArgv } from './namespaces.js';

/** The lab the twin runs: a copy of this repository's lab, built, with a test secret store. */
export interface TwinLab {
  readonly ws: Workspace;
  readonly loaded: LoadedLab;
  readonly secretsDir: string;
  /** AGE-SECRET-KEY-1...: decrypts the test store. */
  readonly identity: string;
  /** Every machine of the lab (Proxmox nodes first, then containers, then VMs). */
  readonly machines: readonly Machine[];
  /** The twin's own lab CA (as `homelab secret ca-init` makes one): its certificate is the store's ca.crt. */
  readonly ca: KeyPair;
}

/** Every lab package of this repository but shared: the hosts. */
export function labHostPackages(): string[] {
  return readdirSync(join(repoRoot, 'packages')).filter((p) => p !== 'shared').sort();
}

export const HOMELAB_CLI = join(repoRoot, 'tools', 'cli', 'bin', 'homelab.mjs');

/** Runs the homelab command against the twin's lab copy (here, not in a namespace: build needs no network). */
export function homelab(ws: Workspace, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  return execArgv([process.execPath, HOMELAB_CLI, ...args], { cwd: ws.root, env });
}

/** A value for a test secret: fixed per name, never a real credential. */
function testValue(name: string): string {
  return `twin-test-value-of-${name}`;
}

/**
 * Copies the lab (optionally changed by `edit`, for the broken variants), builds it with the real
 * `homelab build`, and fills a test secret store: one identity, and a value for every secret
 * any host's release references, encrypted as `homelab secret set` would store it.
 */
export async function prepareTwinLab(edit?: (ws: Workspace) => void, options: { readonly validate?: boolean; readonly ca?: KeyPair } = {}): Promise<TwinLab> {
  // No k3s here: every build, deploy and load of the twin gives the Kubernetes services to compose (docs/twin.md).
  process.env[KUBERNETES_AS_COMPOSE_ENV] = '1';
  const ws = makeWorkspace(labHostPackages());
  edit?.(ws);
  // The lab's CA, as `homelab secret ca-init` leaves it (constrained to the lab's domains): ca.crt
  // beside the store, before the build reads it.
  const ca = options.ca ?? createCa('homelab twin', caPermittedDomains((await loadLab(ws.root)).lab));
  const secretsDir = ws.path('secrets');
  mkdirSync(secretsDir, { recursive: true });
  writeFileSync(join(secretsDir, CA_CERT_FILE), ca.certPem);
  if (options.validate !== false) {
    const built = await homelab(ws, ['build']);
    if (built.code !== 0) throw new Error(`twin: homelab build of the lab failed (exit ${built.code}):\n${built.stdout}${built.stderr}`);
  }
  const loaded = await loadLab(ws.root);
  // A broken variant: rendered as the build renders, without the validator that would refuse it.
  if (options.validate === false) writeDist(loaded);
  const { identity, recipient } = await newIdentity();
  writeFileSync(join(secretsDir, 'recipients.txt'), `${recipient}\n`);
  const machines: Machine[] = [...(loaded.lab.nodes ?? []), ...loaded.lab.hosts];
  for (const m of machines) {
    const dist = join(loaded.hostDirs.get(m.name) ?? ws.path('packages', m.name), 'dist');
    const release = readLocalRelease(m, dist, secretsDir);
    for (const s of release.secrets) {
      mkdirSync(join(secretsDir, m.name), { recursive: true });
      writeFileSync(join(secretsDir, m.name, `${s.name}.age`), await encryptValue(testValue(s.name), [recipient]));
    }
  }
  // The proxy's certificate as `homelab secret tls-issue` stores it: signed by the CA, every route name.
  const proxy = proxyHost(loaded.lab);
  if (proxy) {
    const issued = issueServerCertificate(ca, certificateNames(loaded.lab));
    mkdirSync(join(secretsDir, proxy.name), { recursive: true });
    writeFileSync(join(secretsDir, proxy.name, `${TLS_SECRETS.cert}.age`), await encryptValue(issued.certPem, [recipient]));
    writeFileSync(join(secretsDir, proxy.name, `${TLS_SECRETS.key}.age`), await encryptValue(issued.keyPem, [recipient]));
  }
  return { ws, loaded, secretsDir, identity, machines, ca };
}
