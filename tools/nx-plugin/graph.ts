// What the Nx plugin runs, bundled from the kit's sources (never its build: the project graph
// comes before any build, and a fresh clone has no tools/kit/lib).
import { loadLab } from '../kit/src/lab/load.js';
import { declarationReaders } from '../kit/src/render/declarations.js';

/** reader host -> the hosts whose declarations it renders, and each host's package folder. */
export async function labReaders(root: string): Promise<{ readers: [string, string[]][]; dirs: [string, string][] }> {
  const loaded = await loadLab(root);
  return { readers: [...declarationReaders(loaded.lab)], dirs: [...loaded.hostDirs] };
}
