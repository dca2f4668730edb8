import { loadLab } from '../lab/load.js';
import { labMachines } from '../model/proxmox-host.js';
import { manifestJson } from '../render/index.js';
import { checkoutTree } from './tree.js';

/** host -> (file -> content) of everything a tree renders for it, manifest included. */
export type RenderedLab = Map<string, Map<string, string>>;

/** Renders a tree with its own kit, so a change to the kit shows in the rendered output too. */
export async function renderTree(root: string, modulesFrom: string): Promise<RenderedLab> {
  const loaded = await loadLab(root, { ownKit: true, modulesFrom });
  const kit = loaded.kit!;
  const out: RenderedLab = new Map();
  for (const host of labMachines(loaded.lab)) {
    const { artifacts, manifest } = kit.renderHost(loaded.lab, host);
    const files = new Map(artifacts.map((a) => [a.path, a.content]));
    files.set('manifest.json', manifestJson(manifest));
    out.set(host.name, files);
  }
  return out;
}

export interface HostChange {
  readonly host: string;
  /** Rendered files added, removed or changed; empty when the host renders the same bytes. */
  readonly files: string[];
  readonly status: 'same' | 'changed' | 'added' | 'removed';
}

export function compareRendered(base: RenderedLab, head: RenderedLab): HostChange[] {
  const hosts = [...new Set([...base.keys(), ...head.keys()])].sort();
  return hosts.map((host) => {
    const before = base.get(host);
    const after = head.get(host);
    if (!before) return { host, status: 'added', files: [...after!.keys()].sort() };
    if (!after) return { host, status: 'removed', files: [...before.keys()].sort() };
    const files = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort();
    return { host, status: files.length > 0 ? 'changed' : 'same', files };
  });
}

/** What the lab renders at `ref` and in the working tree (npm dependencies from `modulesFrom`). */
export async function renderBoth(repo: string, ref: string, modulesFrom = repo): Promise<{ base: RenderedLab; head: RenderedLab }> {
  const tree = checkoutTree(repo, ref);
  try {
    return { base: await renderTree(tree.dir, modulesFrom), head: await renderTree(repo, modulesFrom) };
  } finally {
    tree.remove();
  }
}

/** What every host renders differently in the working tree than at `ref`. */
export async function renderedChanges(repo: string, ref: string, modulesFrom = repo): Promise<HostChange[]> {
  const { base, head } = await renderBoth(repo, ref, modulesFrom);
  return compareRendered(base, head);
}
