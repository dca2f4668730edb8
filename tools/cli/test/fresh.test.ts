import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// bin/fresh.mjs in a stand-in of tools/: its compile steps are scripts that count their runs and
// take a second, so that homelab commands started together all find the tools stale.
const freshMjs = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'fresh.mjs');
const codeCacheCjs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'kit', 'code-cache.cjs');
let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

function standIn(): { root: string; count: () => number } {
  const dir = mkdtempSync(join(tmpdir(), 'fresh-'));
  root = dir;
  const file = (rel: string, text: string, mode = 0o644) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
    chmodSync(join(dir, rel), mode);
  };
  mkdirSync(join(dir, 'cli', 'bin'), { recursive: true });
  copyFileSync(freshMjs, join(dir, 'cli', 'bin', 'fresh.mjs'));
  mkdirSync(join(dir, 'kit'), { recursive: true });
  copyFileSync(codeCacheCjs, join(dir, 'kit', 'code-cache.cjs'));
  file('cli/src/main.ts', 'export {};\n');
  file('kit/src/index.ts', 'export {};\n');
  const write = (rel: string) => `fs.mkdirSync(path.dirname(${JSON.stringify(join(dir, rel))}), { recursive: true }); fs.writeFileSync(${JSON.stringify(join(dir, rel))}, 'built');`;
  // tsc -b: one run counted, a second's work, then what it writes
  file(
    'cli/node_modules/.bin/tsc',
    `#!${process.execPath}\nconst fs = require('node:fs'); const path = require('node:path');\nfs.appendFileSync(${JSON.stringify(join(dir, 'runs'))}, 'x');\nAtomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);\n${write('kit/tsconfig.tsbuildinfo')}\n${write('cli/tsconfig.tsbuildinfo')}\n${write('cli/lib/main.js')}\n`,
    0o755,
  );
  file('kit/scripts/compile-compose-schema.mjs', `import fs from 'node:fs'; import path from 'node:path';\n${write('kit/lib/generated/compose-schema.cjs')}\n`);
  file('kit/scripts/bundle-kit.mjs', `import fs from 'node:fs'; import path from 'node:path';\n${write('kit/lib/bundle/kit.mjs')}\n`);
  // the sources are older than nothing yet built
  const past = new Date(Date.now() - 60_000);
  for (const rel of ['cli/src/main.ts', 'kit/src/index.ts']) utimesSync(join(dir, rel), past, past);
  return { root: dir, count: () => (existsSync(join(dir, 'runs')) ? readFileSync(join(dir, 'runs'), 'utf8').length : 0) };
}

const ensure = (dir: string) =>
  new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import { ensureToolsBuilt } from ${JSON.stringify(join(dir, 'cli', 'bin', 'fresh.mjs'))}; ensureToolsBuilt();`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.on('close', (code) => done({ code, stderr }));
  });

describe('homelab compiles stale tools once, however many start together', () => {
  it('three commands at once: one compiles, the others wait and find the tools built', async () => {
    const t = standIn();
    const runs = await Promise.all([ensure(t.root), ensure(t.root), ensure(t.root)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(t.count()).toBe(1);
    expect(runs.filter((r) => r.stderr.includes('compiling tools/kit and tools/cli')).length).toBe(1);
    expect(existsSync(join(t.root, 'kit', 'node_modules', '.cache', 'homelab', 'build.lock'))).toBe(false);
    // built and fresh: nothing to do
    expect((await ensure(t.root)).stderr).toBe('');
    expect(t.count()).toBe(1);
  });

  it('a lock left by a homelab that is gone is taken over', async () => {
    const t = standIn();
    const lock = join(t.root, 'kit', 'node_modules', '.cache', 'homelab', 'build.lock');
    mkdirSync(dirname(lock), { recursive: true });
    writeFileSync(lock, '2147483646');
    const r = await ensure(t.root);
    expect(r.code).toBe(0);
    expect(t.count()).toBe(1);
  });
});
