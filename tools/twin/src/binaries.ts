import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { must } from './namespaces.js';

/** The shared libraries a dynamically linked binary needs, as ldd lists them (none for a static one). */
function librariesOf(binary: string): string[] {
  const out = must(['sh', '-c', `ldd '${binary}' || true`], `ldd ${binary}`);
  return [...out.matchAll(/(\/\S+\.so[^\s]*)/g)].map((m) => m[1]!);
}

/** Copies a binary of this machine into an image's root at `dest`, with the libraries it links at their own paths. */
export function copyBinary(binary: string, root: string, dest: string): void {
  mkdirSync(dirname(join(root, dest)), { recursive: true });
  copyFileSync(binary, join(root, dest));
  for (const lib of librariesOf(binary)) {
    if (existsSync(join(root, lib))) continue;
    mkdirSync(join(root, dirname(lib)), { recursive: true });
    copyFileSync(lib, join(root, lib));
  }
}
