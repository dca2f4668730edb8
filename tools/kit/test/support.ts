import { loadLab, renderHost, type Artifact, type HostDef } from '../src/internal.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Every rendered artifact of one kind across the real lab, named `<host>/<path>` for test titles. */
export async function renderedOfKind(kind: string): Promise<(readonly [string, { host: HostDef; artifact: Artifact }])[]> {
  const { lab } = await loadLab(workspaceRoot);
  return lab.hosts.flatMap((host) =>
    renderHost(lab, host)
      .artifacts.filter((a) => a.kind === kind)
      .map((artifact) => [`${host.name}/${artifact.path}`, { host, artifact }] as const),
  );
}
