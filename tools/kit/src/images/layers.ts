import type { TarEntry } from './tar.js';

/**
 * An image's filesystem: its layers applied in order, as a container runtime applies them. A
 * `.wh.<name>` entry deletes `<name>` (and what is under it) from the layers below; `.wh..wh..opq`
 * in a directory hides everything the layers below had in it. Entries are keyed by their path
 * without the leading slash.
 */
export type ImageFiles = Map<string, TarEntry>;

const OPAQUE = '.wh..wh..opq';

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function removeTree(files: ImageFiles, path: string): void {
  files.delete(path);
  const under = path === '' ? '' : `${path}/`;
  for (const key of [...files.keys()]) if (key.startsWith(under)) files.delete(key);
}

/** A layer may list `usr/bin/curl` without `usr/` and `usr/bin/`: those exist as directories. */
function addParents(files: ImageFiles, path: string): void {
  for (let dir = parentOf(path); dir !== '' && !files.has(dir); dir = parentOf(dir)) {
    files.set(dir, { path: dir, type: 'directory', mode: 0o755, linkname: '', size: 0 });
  }
}

/** Applies one layer's entries onto `files` (the layers below): whiteouts first, then its own entries. */
export function applyLayer(files: ImageFiles, layer: readonly TarEntry[]): void {
  const own: TarEntry[] = [];
  for (const entry of layer) {
    const slash = entry.path.lastIndexOf('/');
    const base = entry.path.slice(slash + 1);
    if (base === OPAQUE) {
      const dir = parentOf(entry.path);
      for (const key of [...files.keys()]) if (dir === '' || key.startsWith(`${dir}/`)) files.delete(key);
    } else if (base.startsWith('.wh.')) {
      const dir = parentOf(entry.path);
      removeTree(files, dir ? `${dir}/${base.slice(4)}` : base.slice(4));
    } else {
      own.push(entry);
    }
  }
  for (const entry of own) {
    addParents(files, entry.path);
    // A file or link replaces a directory of the layers below, and what was under it.
    const below = files.get(entry.path);
    if (below?.type === 'directory' && entry.type !== 'directory') removeTree(files, entry.path);
    if (entry.type === 'hardlink') {
      const target = files.get(entry.linkname.replace(/^(\.?\/)+/, ''));
      files.set(entry.path, target ? { ...target, path: entry.path } : entry);
    } else {
      files.set(entry.path, entry);
    }
  }
}

/** What a path is in the image after following every symlink on the way (as the kernel does); undefined when it does not exist. */
export function resolvePath(files: ImageFiles, path: string): { path: string; entry: TarEntry } | undefined {
  let parts = path.split('/').filter((p) => p !== '' && p !== '.');
  let done: string[] = [];
  let hops = 0;
  while (parts.length > 0) {
    const part = parts.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const here = [...done, part].join('/');
    const entry = files.get(here);
    if (!entry) return undefined;
    if (entry.type === 'symlink') {
      if (++hops > 40) return undefined;
      const target = entry.linkname.split('/').filter((p) => p !== '' && p !== '.');
      if (entry.linkname.startsWith('/')) done = [];
      parts = [...target, ...parts];
      continue;
    }
    done = [...done, part];
    if (parts.length > 0 && entry.type !== 'directory') return undefined;
  }
  const final = done.join('/');
  const entry = files.get(final);
  // `/` itself: an image always has it.
  if (final === '') return { path: '/', entry: { path: '', type: 'directory', mode: 0o755, linkname: '', size: 0 } };
  return entry ? { path: `/${final}`, entry } : undefined;
}

/** Where a command resolves in the image: a path as it is, a bare name in the PATH's directories; the first executable file. */
export function findCommand(files: ImageFiles, command: string, path: readonly string[]): string | undefined {
  const candidates = command.includes('/') ? [command] : path.map((dir) => `${dir.replace(/\/+$/, '')}/${command}`);
  for (const candidate of candidates) {
    const found = resolvePath(files, candidate);
    if (found && found.entry.type === 'file' && (found.entry.mode & 0o111) !== 0) return candidate;
  }
  return undefined;
}
