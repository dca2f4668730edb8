import { join } from 'node:path';
import type { Finding } from '../findings.js';
import type { LoadedLab } from '../lab/load.js';
import { labMachines } from '../model/proxmox-host.js';
import { manifestJson, renderMachine } from '../render/index.js';
import { findingsFor, validateLab } from '../validate/index.js';
import { replaceDir } from './write-dist.js';

export interface BuildResult {
  readonly findings: Finding[];
  /** Hosts whose dist/ was written; empty when any error was found. */
  readonly written: string[];
}

/** Validates the whole lab, then renders the chosen hosts (all by default); with any error, writes nothing. */
export function buildHosts(loaded: LoadedLab, hosts?: readonly string[]): BuildResult {
  const findings = findingsFor(validateLab(loaded.lab), hosts);
  if (findings.some((f) => f.severity === 'error')) return { findings, written: [] };
  const chosen = labMachines(loaded.lab).filter((h) => !hosts?.length || hosts.includes(h.name));
  const rendered = chosen.map((host) => ({ host, ...renderMachine(loaded.lab, host) }));
  for (const { host, artifacts, manifest } of rendered) {
    const dist = join(loaded.hostDirs.get(host.name)!, 'dist');
    replaceDir(dist, [...artifacts, { path: 'manifest.json', kind: 'manifest', content: manifestJson(manifest) }]);
  }
  return { findings, written: chosen.map((h) => h.name) };
}
