import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from './support.js';

const require = createRequire(import.meta.url);
const codeCache = require('../code-cache.cjs') as { KIT_CACHE_DIR: string; requireCached(file: string, cacheDir?: string): unknown; saveCodeCaches(): void };
const kitRoot = join(workspaceRoot, 'tools', 'kit');

describe('the V8 code cache', () => {
  it('is written where it is told, not beside the file, and read from there on the next load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'code-cache-'));
    const file = join(dir, 'out', 'big.cjs');
    const cacheDir = join(dir, 'cache', 'nested');
    mkdirSync(join(dir, 'out'));
    writeFileSync(file, 'module.exports = { answer: () => 42 };\n');
    expect((codeCache.requireCached(file, cacheDir) as { answer(): number }).answer()).toBe(42);
    codeCache.saveCodeCaches();
    expect(readdirSync(join(dir, 'out'))).toEqual(['big.cjs']);
    const cacheFile = join(cacheDir, `big.cjs.v8-${process.version}.cache`);
    expect(statSync(cacheFile).size).toBeGreaterThan(0);
    const written = statSync(cacheFile).mtimeMs;
    expect((codeCache.requireCached(file, cacheDir) as { answer(): number }).answer()).toBe(42);
    codeCache.saveCodeCaches();
    expect(statSync(cacheFile).mtimeMs).toBe(written);
  });

  it("of the kit's own files (the compose schema's validator) lies outside every folder Nx takes as the kit build's output", () => {
    const nx = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as { targetDefaults: { build: { filter?: unknown; outputs: string[] }[] } };
    const outputs = nx.targetDefaults.build.filter((b) => !b.filter).flatMap((b) => b.outputs).map((o) => o.replace('{projectRoot}/', ''));
    expect(outputs).toEqual(expect.arrayContaining(['lib']));
    const where = relative(kitRoot, codeCache.KIT_CACHE_DIR);
    expect(where.startsWith('..')).toBe(false);
    for (const output of outputs) expect(`${where}${sep}`.startsWith(`${output}${sep}`), `${where} is inside ${output}/`).toBe(false);
  });
});
