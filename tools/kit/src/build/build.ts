import { join } from 'node:path';
import type { Finding } from '../findings.js';
import type { LoadedLab } from '../lab/load.js';
import { labMachines } from '../model/proxmox-host.js';
import { manifestJson, renderHost } from '../render/index.js';
import { findingsFor, validateLab } from '../validate/index.js';
import { replaceDir } from './write-dist.js';

export interface BuildResult {
  readonly findings: Finding[];
  /** Hosts whose dist/ was written; empty when any error was found. */
  readonly written: string[];
}

/**
 * Validates the whole lab, then renders the chosen hosts (all by default). Any error anywhere
 * stops it before anything is written: hosts render each other's declarations (routes, DNS,
 * scrape targets), so one host's build is only as sound as the whole lab.
 */
export function buildHosts(loaded: LoadedLab, hosts?: readonly string[]): BuildResult {
  const all = validateLab(loaded.lab);
  const mine = new Set(findingsFor(all, hosts));
  const findings = all.filter((f) => mine.has(f) || f.severity === 'error');
  if (findings.some((f) => f.severity === 'error')) return { findings, written: [] };
  return { findings, written: writeDist(loaded, hosts) };
}

/**
 * Renders the chosen hosts (all by default) into their dist/ without validating: buildHosts'
 * second half. Only the lab twin's broken variants call it alone, to show that its runtime
 * probes catch, by themselves, faults the validator refuses.
 */
export function writeDist(loaded: LoadedLab, hosts?: readonly string[]): string[] {
  const chosen = labMachines(loaded.lab).filter((h) => !hosts?.length || hosts.includes(h.name));
  const rendered = chosen.map((host) => ({ host, ...renderHost(loaded.lab, host) }));
  for (const { host, artifacts, manifest } of rendered) {
    const dist = join(loaded.hostDirs.get(host.name)!, 'dist');
    replaceDir(dist, [...artifacts, { path: 'manifest.json', kind: 'manifest', content: manifestJson(manifest) }]);
  }
  return chosen.map((h) => h.name);
}
