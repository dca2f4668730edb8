import type { Message, Metafile } from 'esbuild';
import { LabError } from '../findings.js';

/**
 * Whether a path (relative to the workspace root, `/`-separated) lies in one of `dirs` (each
 * ending in `/`): one set lookup per folder of the path. Scanning every lab folder for every
 * file and import was N² (2.6 s of a 500-host lab's first load).
 */
export function insideFolders(dirs: readonly string[]): (path: string) => boolean {
  const folders = new Set(dirs);
  return (path) => {
    for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) if (folders.has(path.slice(0, i + 1))) return true;
    return false;
  };
}

/**
 * A cycle among the lab's own source files (`inLab`), as paths from the first file back to it:
 * an ES module cycle leaves one side's default export undefined while the other one loads.
 */
export function findImportCycle(meta: Metafile, inLab: (path: string) => boolean): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'visiting') return [...trail.slice(trail.indexOf(file)), file];
    state.set(file, 'visiting');
    trail.push(file);
    for (const imp of meta.inputs[file]?.imports ?? []) {
      if (imp.external || !inLab(imp.path)) continue;
      const cycle = visit(imp.path);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of Object.keys(meta.inputs).filter(inLab).sort()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

/** The load failures esbuild finds without failing the build: an import cycle, a name read that is always undefined. */
export function checkLabImports(meta: Metafile, warnings: readonly Message[], inLab: (path: string) => boolean): void {
  const cycle = findImportCycle(meta, inLab);
  if (cycle) {
    throw new LabError(
      'lab-import-cycle',
      cycle[0]!,
      `import cycle: ${cycle.join(' -> ')}. While one of these files loads the other's export is still undefined. Move what both need into a third file, or pass the service by name (e.g. dependsOn: [{ service: 'gluetun' }]) instead of importing it.`,
    );
  }
  const undefinedImport = warnings.find((w) => w.id === 'import-is-undefined' && w.location && inLab(w.location.file));
  if (undefinedImport) {
    const at = undefinedImport.location!;
    throw new LabError(
      'lab-import-undefined',
      `${at.file}:${at.line}:${at.column}`,
      `${undefinedImport.text}: the value is undefined when the lab loads. Import a name the module exports (check its spelling).`,
    );
  }
}
