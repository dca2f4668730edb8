import { KUBERNETES_AS_COMPOSE_ENV, kubernetesAsCompose } from '../model/kubernetes.js';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LabError } from '../findings.js';
import type { HostDef } from '../model/host.js';
import type { Lab, LabFacts } from '../model/lab.js';
import { isProxmoxHost, type ProxmoxHostDef } from '../model/proxmox-host.js';
import { bundleLab, type BundleOptions } from './bundle.js';
import type { renderHost } from '../render/index.js';
import type { validateLab } from '../validate/index.js';
import { labPackages, workspacePackages } from './discover.js';
import { importLabBundle } from './import-bundle.js';
import { checkFacts, checkServices } from './shape.js';
import { secretsDir } from '../secrets/store.js';
import { CA_CERT_FILE, CA_KEY_SECRET } from '../model/trust.js';
import { ageRecipientCount } from '../secrets/age.js';
import { withStartPage } from '../model/start-page.js';

const require = createRequire(import.meta.url);

/**
 * A CommonJS lab bundle, compiled from the V8 code cache beside it when there is one; the cache
 * is written at once (the bundle is data: its top-level code is all there is to compile).
 */
function requireLabBundle(file: string): unknown {
  const codeCache = require('../../code-cache.cjs') as { requireCached(file: string): unknown; saveCodeCaches(): void };
  const mod = codeCache.requireCached(file);
  codeCache.saveCodeCaches();
  return mod;
}

export interface LoadedLab {
  readonly root: string;
  readonly lab: Lab;
  /** Each host's package folder, where its dist/ goes. */
  readonly hostDirs: ReadonlyMap<string, string>;
  /** The tree's own renderer and validator, when loaded with `ownKit`. */
  readonly kit?: { renderHost: typeof renderHost; validateLab: typeof validateLab };
  /** `host/service` of each Kubernetes service compose runs instead (the twin's HOMELAB_TWIN_KUBERNETES_AS_COMPOSE). */
  readonly composeStandIns?: readonly string[];
}

function checkHost(value: unknown, pkg: string, dir: string): HostDef {
  const host = value as Partial<HostDef> | undefined;
  const where = `${basename(dir)}/src/index.ts`;
  if (!host || typeof host !== 'object' || typeof host.name !== 'string') {
    throw new LabError('host-invalid', where, `${pkg} must export default defineHost(vm, { services: [...] }); it exports ${typeof value}.`);
  }
  if (!Array.isArray(host.services)) {
    throw new LabError('host-invalid', `${host.name}/services`, `${pkg}: services must be a list of defineService(...) values.`);
  }
  if (basename(dir) !== host.name) {
    throw new LabError('host-invalid', `${host.name}/name`, `host "${host.name}" lives in packages/${basename(dir)}; name the folder after the host (packages/${host.name}).`);
  }
  checkServices(host as HostDef);
  return host as HostDef;
}

function checkProxmoxHost(host: ProxmoxHostDef, dir: string): ProxmoxHostDef {
  if (typeof host.name !== 'string' || typeof host.node !== 'string' || typeof host.pool !== 'string') {
    throw new LabError('host-invalid', `${basename(dir)}/src/index.ts`, `a Proxmox host must export default defineProxmoxStorage(defineProxmoxHost({ name, node, address, pool }), { snapshots }).`);
  }
  if (basename(dir) !== host.name) {
    throw new LabError('host-invalid', `${host.name}/name`, `host "${host.name}" lives in packages/${basename(dir)}; name the folder after the host (packages/${host.name}).`);
  }
  return host;
}

/** Finds the lab's packages through the pnpm workspace, loads them, and checks their shape. */
export async function loadLab(root: string, options: BundleOptions = {}): Promise<LoadedLab> {
  const all = await workspacePackages(root);
  const packages = await labPackages(root, all);
  const factsPackages = packages.filter((p) => p.role === 'facts');
  if (factsPackages.length !== 1) {
    throw new LabError('lab-facts', 'shared', `the workspace needs exactly one package with "homelab": { "role": "facts" }; found ${factsPackages.length}.`);
  }
  const file = await bundleLab(root, packages, all, options);
  const mod = (await importLabBundle(file, file.endsWith('.cjs') ? () => requireLabBundle(file) : undefined)) as {
    facts: LabFacts;
    hosts: { package: string; dir: string; value: unknown }[];
  } & Partial<NonNullable<LoadedLab['kit']>>;
  checkFacts(mod.facts, basename(factsPackages[0]!.dir));
  const hostDirs = new Map<string, string>();
  const hosts: HostDef[] = [];
  const nodes: ProxmoxHostDef[] = [];
  for (const h of mod.hosts) {
    const machine = isProxmoxHost(h.value) ? checkProxmoxHost(h.value, h.dir) : checkHost(h.value, h.package, h.dir);
    hostDirs.set(machine.name, h.dir);
    if (isProxmoxHost(machine)) nodes.push(machine);
    else hosts.push(machine);
  }
  hosts.sort((a, b) => a.name.localeCompare(b.name));
  nodes.sort((a, b) => a.name.localeCompare(b.name));
  const kit = mod.renderHost && mod.validateLab ? { renderHost: mod.renderHost, validateLab: mod.validateLab } : undefined;
  const twin = process.env[KUBERNETES_AS_COMPOSE_ENV] === '1' ? kubernetesAsCompose(hosts) : undefined;
  const caCertificate = readCaCertificate(root);
  const caKeyRecipients = readCaKeyRecipients(root);
  return {
    root,
    // The start page's environment is derived from every route (model/start-page.ts).
    lab: withStartPage({ facts: mod.facts, hosts: twin?.hosts ?? hosts, ...(nodes.length > 0 ? { nodes } : {}), ...(caCertificate ? { caCertificate } : {}), ...(caKeyRecipients !== undefined ? { caKeyRecipients } : {}) }),
    hostDirs,
    ...(kit ? { kit } : {}),
    ...(twin ? { composeStandIns: twin.moved } : {}),
  };
}

/** The internal CA's public certificate, committed beside the secret store (`homelab secret ca-init`), when there is one. */
/** How many recipients secrets/lab-ca-key.age is encrypted to (its header alone; nothing is decrypted). */
function readCaKeyRecipients(root: string): number | undefined {
  const file = join(secretsDir(root), `${CA_KEY_SECRET}.age`);
  return existsSync(file) ? ageRecipientCount(readFileSync(file, 'utf8')) : undefined;
}

function readCaCertificate(root: string): string | undefined {
  const file = join(secretsDir(root), CA_CERT_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}
