import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Artifact } from '../render/artifact.js';

/**
 * Replaces `dir` with exactly these files: written beside it first, then swapped in by rename,
 * so a reader sees the old dist/ or the new one, never a mix.
 */
export function replaceDir(dir: string, files: readonly Artifact[]): void {
  const stamp = `${process.pid}-${Date.now()}`;
  const staging = `${dir}.new-${stamp}`;
  const old = `${dir}.old-${stamp}`;
  rmSync(staging, { recursive: true, force: true });
  for (const file of files) {
    const target = join(staging, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
  mkdirSync(staging, { recursive: true });
  let moved = false;
  try {
    renameSync(dir, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  renameSync(staging, dir);
  if (moved) rmSync(old, { recursive: true, force: true });
}
