import type { HostDef } from '../model/host.js';
import type { LabFacts } from '../model/lab.js';
import type { ServiceDef } from '../model/service.js';
import type { Artifact } from './artifact.js';
import { datasetHostPath } from './compose.js';
import { quote } from '../shell/quote.js';

/** A dataset folder a service bind-mounts read-write, and who must own it when deploy creates it. */
export interface VolumeDir {
  readonly path: string;
  /** uid:gid: the user the service starts as (its `user`, else its image's). */
  readonly owner: string;
  readonly mode: string;
}

/** The user a service's container starts as: its `user`, else its image's default, else root. */
export function startUser(service: ServiceDef): string {
  return service.user ?? service.imageFacts?.user ?? '0:0';
}

/**
 * The folders inside datasets that a stack's services mount read-write. Docker would create a
 * missing one as root 0755, which a service that starts as another user cannot write (Prometheus
 * as 1000 crash-loops on its TSDB, authentik cannot write /data): deploy creates each one that is
 * missing, owned by its service's user, before the stack starts. An image that starts as root
 * fixes its own folders (linuxserver's init, postgres' entrypoint), so root keeps them.
 */
export function volumeDirs(facts: LabFacts, host: HostDef): VolumeDir[] {
  const dirs = new Map<string, VolumeDir>();
  for (const service of host.services) {
    for (const v of service.volumes ?? []) {
      if (!('dataset' in v) || !v.sub || v.readOnly) continue;
      const path = datasetHostPath(facts, v.dataset.name, v.sub);
      if (!dirs.has(path)) dirs.set(path, { path, owner: startUser(service), mode: '0750' });
    }
  }
  return [...dirs.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** `volume-dirs.list`: one folder a line, `<uid:gid> <mode> <path>`, read by deploy's shell before compose up. */
export function renderVolumeDirs(lab: { facts: LabFacts }, host: HostDef): Artifact[] {
  const dirs = volumeDirs(lab.facts, host);
  if (dirs.length === 0) return [];
  const content = dirs.map((d) => `${d.owner} ${d.mode} ${d.path}\n`).join('');
  return [{ path: 'volume-dirs.list', kind: 'volume-dirs', content }];
}

/** Creates each folder that is missing, with its owner and mode; an existing one is left exactly as it is. */
export function missingFoldersScript(dirs: readonly Pick<VolumeDir, 'path' | 'owner' | 'mode'>[]): string {
  return dirs
    .map((d) => {
      const [uid, gid] = d.owner.split(':');
      return `[ -d ${quote(d.path)} ] || install -d -o ${uid} -g ${gid ?? uid} -m ${d.mode} ${quote(d.path)}`;
    })
    .join('\n');
}
