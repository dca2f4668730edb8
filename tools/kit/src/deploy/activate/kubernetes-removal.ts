import { K3S_MANIFESTS_DIR } from '../../model/kubernetes.js';
import type { Manifest } from '../../render/artifact.js';
import { commandLine } from '../../shell/quote.js';

/** What k3s's deploy controller applies: the lab's files in its auto-deploy folder. */
function isAddonPath(path: string | undefined): path is string {
  return path !== undefined && path.startsWith(`${K3S_MANIFESTS_DIR}/homelab/`);
}

/**
 * The k3s auto-deploy files the previous release installed that this one no longer has (a
 * service moved back to compose, or removed). k3s keeps the objects of a deleted file, so each
 * must be deleted through the API before its file goes: else its pod keeps its hostPort, and the
 * compose service that takes the port back cannot start.
 */
export function kubernetesRemovals(next: Manifest, before: Manifest | undefined): string[] {
  const kept = new Set(next.artifacts.map((a) => a.install?.path).filter(isAddonPath));
  return [...new Set((before?.artifacts ?? []).map((a) => a.install?.path).filter(isAddonPath))].filter((p) => !kept.has(p)).sort();
}

/** Deletes each file's objects (their pods gone before it returns), then the file. */
export function kubernetesRemovalScript(paths: readonly string[]): string {
  return paths
    .flatMap((p) => [commandLine(['k3s', 'kubectl', 'delete', '--ignore-not-found', '--cascade=foreground', '--wait', '--timeout=120s', '-f', p]), commandLine(['rm', '-f', p])])
    .join('\n');
}
