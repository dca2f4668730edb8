import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { LabError } from '../findings.js';
import type { LabPackage, WorkspacePackage } from './discover.js';

const require = createRequire(import.meta.url);

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

function entrySource(packages: readonly LabPackage[]): string {
  const lines: string[] = [];
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
export async function bundleLab(root: string, lab: readonly LabPackage[], all: readonly WorkspacePackage[]): Promise<string> {
  const key = sourcesKey(root, all.map((p) => p.dir));
  const cacheDir = join(root, '.homelab', 'cache');
  const file = join(cacheDir, `lab-${key}.mjs`);
  if (existsSync(file)) return file;
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = await esbuild.build({
    stdin: { contents: entrySource(lab), resolveDir: root, sourcefile: 'lab-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    write: false,
    logLevel: 'silent',
  }).catch((e: { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }) => {
    const first = e.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}` : 'lab';
    throw new LabError('lab-load', where, `the lab's TypeScript does not load: ${first?.text ?? String(e)}`);
  });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(`${file}.${process.pid}`, result.outputFiles[0]!.contents);
  renameSync(`${file}.${process.pid}`, file);
  pruneBundles(cacheDir, file);
  return file;
}
