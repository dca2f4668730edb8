import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface Workspace {
  readonly root: string;
  /** Path of a file inside the workspace. */
  path(...parts: string[]): string;
  read(...parts: string[]): string;
  write(relPath: string, content: string): void;
  /** Replaces `from` with `to` in a file; fails when `from` is not there (the test would prove nothing). */
  edit(relPath: string, from: string | RegExp, to: string): void;
  remove(): void;
}

/**
 * A throwaway copy of the lab (packages/shared plus the named hosts, sources only) that the
 * real loader and CLI can run against: the kit comes from this repository through node_modules links.
 */
export function makeWorkspace(hosts: readonly string[]): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'homelab-ws-'));
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n');
  writeFileSync(join(root, 'package.json'), '{ "name": "lab-under-test", "private": true, "type": "module" }\n');
  const scope = join(root, 'node_modules', '@homelab');
  mkdirSync(scope, { recursive: true });
  symlinkSync(join(repoRoot, 'tools', 'kit'), join(scope, 'kit'));
  for (const pkg of ['shared', ...hosts]) {
    const from = join(repoRoot, 'packages', pkg);
    const to = join(root, 'packages', pkg);
    cpSync(join(from, 'src'), join(to, 'src'), { recursive: true });
    cpSync(join(from, 'package.json'), join(to, 'package.json'));
    symlinkSync(to, join(scope, pkg));
  }
  const ws: Workspace = {
    root,
    path: (...parts) => join(root, ...parts),
    read: (...parts) => readFileSync(join(root, ...parts), 'utf8'),
    write(relPath, content) {
      mkdirSync(dirname(join(root, relPath)), { recursive: true });
      writeFileSync(join(root, relPath), content);
    },
    edit(relPath, from, to) {
      const before = ws.read(relPath);
      const after = before.replace(from, to);
      if (after === before) throw new Error(`makeWorkspace.edit: ${String(from)} not found in ${relPath}`);
      ws.write(relPath, after);
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  return ws;
}
