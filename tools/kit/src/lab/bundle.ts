import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LabError } from '../findings.js';
import { buildWithLessCollection } from './esbuild-service.js';
import { checkLabImports, insideFolders } from './import-graph.js';
import { sourceOf, type LabPackage, type WorkspacePackage } from './discover.js';

/** The imports that resolve to the tree's own workspace sources. */
const WORKSPACE_IMPORT = /^@homelab\/[^/]+$/;

/**
 * Every entry below `dir` (symbolic links not followed), as paths. Node 20's recursive readdirSync
 * took four to six times as long (150-270 ms for a 500-host lab's 1,000 folders).
 */
function entriesBelow(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    out.push(path);
    if (entry.isDirectory()) out.push(...entriesBelow(path));
  }
  return out;
}

/** A fingerprint of every source file the lab bundle is made of (path, size, mtime): cheap to take. */
function sourcesKey(root: string, dirs: readonly string[]): string {
  const hash = createHash('sha256');
  const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
  for (const dir of [...dirs].sort()) {
    for (const sub of ['src', 'package.json']) {
      const path = join(dir, sub);
      if (!existsSync(path)) continue;
      const entries = statSync(path).isDirectory() ? entriesBelow(path) : [path];
      for (const file of entries.sort()) {
        const st = statSync(file);
        // The path below the root by slicing: path.relative was a fifth of this walk's time.
        if (st.isFile()) hash.update(`${file.startsWith(prefix) ? file.slice(prefix.length) : relative(root, file)}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
  }
  return hash.digest('hex').slice(0, 24);
}

/** Drops bundles of earlier sources and their code caches (left a minute, in case another run is loading one). */
function pruneBundles(cacheDir: string, keep: string): void {
  const cutoff = Date.now() - 60_000;
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    if (/^lab-.*\.[cm]js(\.v8-.*\.cache)?$/.test(name) && !path.startsWith(keep) && statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
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
 * The tree's own renderer and validator are the kit's internals: its './internal' entry (a tree
 * from before the kit had one exports them from '.', which sourceOf falls back to).
 */
function kitInternals(all: readonly WorkspacePackage[]): string | undefined {
  const kit = all.find((p) => p.name === '@homelab/kit');
  return kit ? sourceOf(kit, './internal') : undefined;
}

type EsbuildError = { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] };

/** The name the CommonJS bundle knows its own file URL by (what import.meta.url says in an ES module). */
const MODULE_URL = '__homelabLabModuleUrl';

/**
 * The lab's TypeScript as one module, bundled by esbuild and cached by a fingerprint of its
 * sources: an unchanged lab loads from the cache without starting the compiler.
 *
 * The lab itself is bundled as CommonJS (.cjs), which loads through a V8 code cache kept beside
 * it (code-cache.cjs): compiling a 500-host lab's 18 MB module on every load took a second. Lab
 * code that only an ES module can be (top-level await, import.meta beyond url) and the tree's own
 * kit stay an ES module (.mjs).
 */
export async function bundleLab(
  root: string,
  lab: readonly LabPackage[],
  all: readonly WorkspacePackage[],
  options: BundleOptions = {},
): Promise<string> {
  const key = sourcesKey(root, all.map((p) => p.dir)) + (options.ownKit ? '-kit' : '');
  const cacheDir = join(root, '.homelab', 'cache');
  const commonjs = !options.ownKit && !options.modulesFrom;
  const cached = [...(commonjs ? ['cjs'] : []), 'mjs'].map((ext) => join(cacheDir, `lab-${key}.${ext}`)).find((f) => existsSync(f));
  if (cached) return cached;
  const sources = new Map(all.map((p) => [p.name, sourceOf(p)]));
  const kitEntry = options.ownKit ? kitInternals(all) : undefined;
  if (options.ownKit && !kitEntry) throw new LabError('lab-load', 'tools/kit', `${root} has no @homelab/kit package to render with.`);
  mkdirSync(cacheDir, { recursive: true });
  const inLab = insideFolders(lab.map((p) => `${relative(root, p.dir).split(sep).join('/')}/`));
  const build = async (format: 'cjs' | 'esm'): Promise<string> => {
    const file = join(cacheDir, `lab-${key}.${format === 'cjs' ? 'cjs' : 'mjs'}`);
    const partial = `${file}.${process.pid}`;
    const result = await buildWithLessCollection({
      stdin: { contents: entrySource(lab, kitEntry), resolveDir: root, sourcefile: 'lab-entry.ts', loader: 'ts' },
      // Workspace packages resolve to this tree's own sources, whatever node_modules links say. An
      // alias, not a plugin: a plugin's resolve callback is a round trip to this process for every
      // import (two per service file), which left esbuild idle most of the 10 s a 500-host lab took.
      alias: Object.fromEntries([...sources].filter(([name]) => WORKSPACE_IMPORT.test(name))),
      nodePaths: options.modulesFrom ? [join(options.modulesFrom, 'node_modules', '.pnpm', 'node_modules')] : [],
      // The kit loads some dependencies lazily (createRequire(import.meta.url)); a checked-out tree has
      // no node_modules, so those resolve from this workspace's kit instead. In CommonJS, import.meta.url
      // is the bundle's own URL, as it is in the ES module.
      ...(options.modulesFrom
        ? { define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(options.modulesFrom, 'tools', 'kit', 'src', 'index.ts')).href) } }
        : format === 'cjs'
          ? { define: { 'import.meta.url': MODULE_URL }, banner: { js: `var ${MODULE_URL} = require("node:url").pathToFileURL(__filename).href;` } }
          : {}),
      absWorkingDir: root,
      metafile: true,
      bundle: true,
      platform: 'node',
      format,
      target: 'node20',
      conditions: ['source'],
      // Written by esbuild itself: passing a large lab's bundle back through its pipe cost more than writing it.
      outfile: partial,
      write: true,
      logLevel: 'silent',
    });
    // An import cycle or an import of a name nobody exports is the lab's mistake, in either format.
    checkLabImports(result.metafile!, result.warnings, inLab);
    // Any other warning in CommonJS is ES-module-only code (import.meta): that lab stays an ES module.
    if (format === 'cjs' && result.warnings.length > 0) {
      rmSync(partial, { force: true });
      throw Object.assign(new Error('not CommonJS'), { errors: result.warnings });
    }
    renameSync(partial, file);
    return file;
  };
  const file = await (commonjs ? build('cjs').catch((e: unknown) => (e instanceof LabError ? Promise.reject(e) : build('esm'))) : build('esm')).catch((e: EsbuildError | LabError) => {
    for (const ext of ['cjs', 'mjs']) rmSync(join(cacheDir, `lab-${key}.${ext}.${process.pid}`), { force: true });
    if (e instanceof LabError) throw e;
    const first = e.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}` : 'lab';
    throw new LabError('lab-load', where, `the lab's TypeScript does not load: ${first?.text ?? String(e)}`);
  });
  pruneBundles(cacheDir, file);
  return file;
}
