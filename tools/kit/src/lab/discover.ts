import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readWorkspaceManifest } from '@pnpm/workspace.read-manifest';
import { glob } from 'tinyglobby';

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

/** The workspace's packages, as pnpm-workspace.yaml lists them, sorted by folder. */
export async function workspacePackages(root: string): Promise<WorkspacePackage[]> {
  const manifest = await readWorkspaceManifest(root);
  const patterns = (manifest?.packages ?? []).map((p) => `${p.replace(/\/$/, '')}/package.json`);
  const files = await glob(patterns, { cwd: root, ignore: ['**/node_modules/**'], absolute: true });
  return files.sort().map((file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    return { name: String(json.name), dir: dirname(file), manifest: json };
  });
}

function sourceEntry(pkg: WorkspacePackage): string {
  const exports = pkg.manifest.exports as Record<string, Record<string, string>> | undefined;
  return join(pkg.dir, exports?.['.']?.source ?? 'src/index.ts');
}

/** The packages that make up the lab: one facts package and every host. */
export async function labPackages(root: string): Promise<LabPackage[]> {
  const found: LabPackage[] = [];
  for (const pkg of await workspacePackages(root)) {
    const role = (pkg.manifest.homelab as { role?: string } | undefined)?.role;
    if (role === 'facts' || role === 'host') found.push({ name: pkg.name, dir: pkg.dir, role, entry: sourceEntry(pkg) });
  }
  return found;
}
