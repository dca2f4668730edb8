import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { LabError } from '../findings.js';
import { sourceOf, type LabPackage, type WorkspacePackage } from './discover.js';

const require = createRequire(import.meta.url);

/** The imports that resolve to the tree's own workspace sources. */
const WORKSPACE_IMPORT = /^@homelab\/[^/]+$/;

/** A fingerprint of every source file the lab bundle is made of (path, size, mtime): cheap to take. */
function sourcesKey(root: string, dirs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const dir of [...dirs].sort()) {
    for (const sub of ['src', 'package.json']) {
      const path = join(dir, sub);
      if (!existsSync(path)) continue;
      const entries = statSync(path).isDirectory()
        ? readdirSync(path, { recursive: true, encoding: 'utf8' }).map((f) => join(path, f))
        : [path];
      for (const file of entries.sort()) {
        const st = statSync(file);
        if (st.isFile()) hash.update(`${relative(root, file)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  }
  return hash.digest('hex').slice(0, 24);
}

/** Drops bundles of earlier sources (left a minute, in case another run is loading one). */
function pruneBundles(cacheDir: string, keep: string): void {
  const cutoff = Date.now() - 60_000;
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    if (/^lab-.*\.mjs$/.test(name) && path !== keep && statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
  }
}

export interface BundleOptions {
  /** Also bundle the tree's own renderer and validator (to render an older commit with its own kit). */
  readonly ownKit?: boolean;
  /** Where npm dependencies the tree does not install itself are found (a checked-out commit has none). */
  readonly modulesFrom?: string;
}

function entrySource(packages: readonly LabPackage[], kitEntry: string | undefined): string {
  const lines: string[] = [];
  if (kitEntry) lines.push(`export { renderHost, validateLab } from ${JSON.stringify(kitEntry)};`);
  const hosts: string[] = [];
  packages.forEach((pkg, i) => {
    lines.push(`import * as m${i} from ${JSON.stringify(pkg.entry)};`);
    if (pkg.role === 'facts') lines.push(`export const facts = m${i}.default;`);
    else hosts.push(`{ package: ${JSON.stringify(pkg.name)}, dir: ${JSON.stringify(pkg.dir)}, value: m${i}.default }`);
  });
  lines.push(`export const hosts = [${hosts.join(', ')}];`);
  return lines.join('\n');
}

/**
 * The lab's TypeScript as one ES module, bundled by esbuild and cached by a fingerprint of its
 * sources: an unchanged lab loads from the cache without starting the compiler.
 */
export async function bundleLab(
  root: string,
  lab: readonly LabPackage[],
  all: readonly WorkspacePackage[],
  options: BundleOptions = {},
): Promise<string> {
  const key = sourcesKey(root, all.map((p) => p.dir)) + (options.ownKit ? '-kit' : '');
  const cacheDir = join(root, '.homelab', 'cache');
  const file = join(cacheDir, `lab-${key}.mjs`);
  if (existsSync(file)) return file;
  const esbuild = require('esbuild') as typeof import('esbuild');
  const sources = new Map(all.map((p) => [p.name, sourceOf(p)]));
  const kitEntry = options.ownKit ? sources.get('@homelab/kit') : undefined;
  if (options.ownKit && !kitEntry) throw new LabError('lab-load', 'tools/kit', `${root} has no @homelab/kit package to render with.`);
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.${process.pid}`;
  await esbuild.build({
    stdin: { contents: entrySource(lab, kitEntry), resolveDir: root, sourcefile: 'lab-entry.ts', loader: 'ts' },
    // Workspace packages resolve to this tree's own sources, whatever node_modules links say. An
    // alias, not a plugin: a plugin's resolve callback is a round trip to this process for every
    // import (two per service file), which left esbuild idle most of the 10 s a 500-host lab took.
    alias: Object.fromEntries([...sources].filter(([name]) => WORKSPACE_IMPORT.test(name))),
    nodePaths: options.modulesFrom ? [join(options.modulesFrom, 'node_modules', '.pnpm', 'node_modules')] : [],
    // The kit loads some dependencies lazily (createRequire(import.meta.url)); a checked-out tree has
    // no node_modules, so those resolve from this workspace's kit instead.
    ...(options.modulesFrom
      ? { define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(options.modulesFrom, 'tools', 'kit', 'src', 'index.ts')).href) } }
      : {}),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    // Written by esbuild itself: passing a large lab's bundle back through its pipe cost more than writing it.
    outfile: partial,
    write: true,
    logLevel: 'silent',
  }).catch((e: { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }) => {
    rmSync(partial, { force: true });
    const first = e.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}` : 'lab';
    throw new LabError('lab-load', where, `the lab's TypeScript does not load: ${first?.text ?? String(e)}`);
  });
  renameSync(partial, file);
  pruneBundles(cacheDir, file);
  return file;
}
