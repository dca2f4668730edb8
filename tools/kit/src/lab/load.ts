import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LabError } from '../findings.js';
import type { HostDef } from '../model/host.js';
import type { Lab, LabFacts } from '../model/lab.js';
import { bundleLab, type BundleOptions } from './bundle.js';
import type { renderHost } from '../render/index.js';
import type { validateLab } from '../validate/index.js';
import { labPackages, workspacePackages } from './discover.js';

export interface LoadedLab {
  readonly root: string;
  readonly lab: Lab;
  /** Each host's package folder, where its dist/ goes. */
  readonly hostDirs: ReadonlyMap<string, string>;
  /** The tree's own renderer and validator, when loaded with `ownKit`. */
  readonly kit?: { renderHost: typeof renderHost; validateLab: typeof validateLab };
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
  return host as HostDef;
}

/** Finds the lab's packages through the pnpm workspace, loads them, and checks their shape. */
export async function loadLab(root: string, options: BundleOptions = {}): Promise<LoadedLab> {
  const all = await workspacePackages(root);
  const packages = await labPackages(root);
  const factsPackages = packages.filter((p) => p.role === 'facts');
  if (factsPackages.length !== 1) {
    throw new LabError('lab-facts', 'shared', `the workspace needs exactly one package with "homelab": { "role": "facts" }; found ${factsPackages.length}.`);
  }
  const file = await bundleLab(root, packages, all, options);
  const mod = (await import(pathToFileURL(file).href)) as {
    facts: LabFacts;
    hosts: { package: string; dir: string; value: unknown }[];
  } & Partial<NonNullable<LoadedLab['kit']>>;
  const hostDirs = new Map<string, string>();
  const hosts = mod.hosts.map((h) => {
    const host = checkHost(h.value, h.package, h.dir);
    hostDirs.set(host.name, h.dir);
    return host;
  });
  hosts.sort((a, b) => a.name.localeCompare(b.name));
  const kit = mod.renderHost && mod.validateLab ? { renderHost: mod.renderHost, validateLab: mod.validateLab } : undefined;
  return { root, lab: { facts: mod.facts, hosts }, hostDirs, ...(kit ? { kit } : {}) };
}
