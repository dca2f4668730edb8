import { join } from 'node:path';
import type { Finding } from '../findings.js';
import type { LoadedLab } from '../lab/load.js';
import { labMachines, type Machine } from '../model/proxmox-host.js';
import type { Artifact } from '../render/artifact.js';
import { manifestJson, renderHost } from '../render/index.js';
import { renderDeclarations } from '../render/declarations.js';
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
  for (const host of chosen) replaceDir(join(loaded.hostDirs.get(host.name)!, 'dist'), distFiles(loaded.lab, host));
  return chosen.map((h) => h.name);
}

/**
 * Every file of a host's dist/: its artifacts, its manifest, and its declarations to the other
 * hosts (beside the release, not in the manifest: deploy ships only what the manifest lists).
 */
export function distFiles(lab: LoadedLab['lab'], host: Machine): Artifact[] {
  const { artifacts, manifest } = renderHost(lab, host);
  return [...artifacts, { path: 'manifest.json', kind: 'manifest', content: manifestJson(manifest) }, ...renderDeclarations(lab, host)];
}
