import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export type LabRole = 'facts' | 'host';

/** A workspace package that is part of the lab: its package.json has `"homelab": { "role": ... }`. */
export interface LabPackage {
  readonly name: string;
  readonly dir: string;
  readonly role: LabRole;
  /** The TypeScript entry (the `source` export, else src/index.ts). */
  readonly entry: string;
}

export interface WorkspacePackage {
  readonly name: string;
  readonly dir: string;
  readonly manifest: Record<string, unknown>;
}

/** The nearest folder at or above `from` that has a pnpm-workspace.yaml. */
export function findWorkspaceRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no pnpm-workspace.yaml at or above ${from}`);
    dir = parent;
  }
}

/** The package.json files pnpm-workspace.yaml's `packages` patterns match, read with pnpm's own reader. */
async function globManifests(root: string): Promise<{ files: string[]; bases: string[] }> {
  const { readWorkspaceManifest } = await import('@pnpm/workspace.read-manifest');
  const { glob } = await import('tinyglobby');
  const manifest = await readWorkspaceManifest(root);
  const patterns = manifest?.packages ?? [];
  const files = await glob(
    patterns.map((p) => `${p.replace(/\/$/, '')}/package.json`),
    { cwd: root, ignore: ['**/node_modules/**'], absolute: true },
  );
  // A listing can be reused while these folders keep their mtime: only for `dir/*` patterns,
  // where a new package is a new entry of `dir` itself.
  const simple = patterns.every((p) => /^[^*?{[]+\/\*$/.test(p));
  const bases = simple ? patterns.map((p) => p.slice(0, -2)) : [];
  return { files: files.sort(), bases: simple ? bases : ['*'] };
}

interface ListingCache {
  readonly stamps: Record<string, number>;
  readonly files: string[];
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

/** The workspace's package.json files, from a listing cached until the workspace's shape changes. */
async function manifestFiles(root: string): Promise<string[]> {
  const cacheFile = join(root, '.homelab', 'cache', 'workspace.json');
  try {
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as ListingCache;
    if (Object.entries(cache.stamps).every(([p, m]) => mtime(join(root, p)) === m)) return cache.files.map((f) => join(root, f));
  } catch {
    // no usable cache: list afresh
  }
  const { files, bases } = await globManifests(root);
  if (!bases.includes('*')) {
    const stamped = ['pnpm-workspace.yaml', ...bases, ...files.map((f) => relative(root, f))];
    const cache: ListingCache = {
      stamps: Object.fromEntries(stamped.map((p) => [p, mtime(join(root, p))])),
      files: files.map((f) => relative(root, f)),
    };
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(`${cacheFile}.${process.pid}`, JSON.stringify(cache));
    renameSync(`${cacheFile}.${process.pid}`, cacheFile);
  }
  return files;
}

/** The workspace's packages, as pnpm-workspace.yaml lists them, sorted by folder. */
export async function workspacePackages(root: string): Promise<WorkspacePackage[]> {
  return (await manifestFiles(root)).map((file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return { name: String(json.name), dir: dirname(file), manifest: json };
  });
}

export function sourceOf(pkg: WorkspacePackage, entry = '.'): string {
  const exports = pkg.manifest.exports as Record<string, Record<string, string>> | undefined;
  return join(pkg.dir, exports?.[entry]?.source ?? exports?.['.']?.source ?? 'src/index.ts');
}

/** The packages that make up the lab: one facts package and every host (of `all`, when already read). */
export async function labPackages(root: string, all?: readonly WorkspacePackage[]): Promise<LabPackage[]> {
  const found: LabPackage[] = [];
  for (const pkg of all ?? (await workspacePackages(root))) {
    const role = (pkg.manifest.homelab as { role?: string } | undefined)?.role;
    if (role === 'facts' || role === 'host') found.push({ name: pkg.name, dir: pkg.dir, role, entry: sourceOf(pkg) });
  }
  return found;
}
