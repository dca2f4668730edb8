import childProcess from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { ORIGINAL_STAT, refusal, refusedPath, refusedScript, refusedSpawn } from './guard.js';

/**
 * Guards node:child_process and node:fs in this process (the unit project's setup file,
 * tools/testing/test/unit-tier-setup.ts, installs it for every unit test), so that a test which
 * runs a program or reads a system path that a minimal Debian 12 plus Node and pnpm lacks fails
 * here, on every machine, and not only on a fresh one. The module objects are patched and then
 * synced to their ESM named exports, so that `import { spawnSync } from 'node:child_process'`
 * sees the guard too.
 */
const INSTALLED = Symbol.for('homelab.unit-tier.guard');
type Fn = (this: unknown, ...args: unknown[]) => unknown;
type Options = { env?: NodeJS.ProcessEnv; shell?: unknown; execPath?: string } | undefined;

const optionsOf = (a: unknown, b: unknown): Options => (Array.isArray(a) ? b : a) as Options;
const argsOf = (a: unknown): string[] => (Array.isArray(a) ? a.map(String) : []);
const pathOf = (o: Options): string | undefined => o?.env?.PATH;

function guard(target: Record<string, unknown>, name: string, check: (args: unknown[]) => string | undefined): void {
  const original = target[name] as Fn | undefined;
  if (typeof original !== 'function') return;
  const guarded = function (this: unknown, ...args: unknown[]) {
    const refused = check(args);
    if (refused) throw refusal(refused);
    return original.apply(this, args);
  };
  Object.defineProperty(guarded, 'name', { value: name });
  // util.promisify(execFile) and (exec) resolve to { stdout, stderr } through this symbol.
  for (const key of Object.getOwnPropertySymbols(original)) (guarded as unknown as Record<symbol, unknown>)[key] = (original as unknown as Record<symbol, unknown>)[key];
  target[name] = guarded;
}

/** Installs the guard once per process (a setup file runs again for each test file). */
export function installUnitTierGuard(): void {
  const g = globalThis as typeof globalThis & { [INSTALLED]?: boolean };
  if (g[INSTALLED]) return;
  g[INSTALLED] = true;
  (g as Record<symbol, unknown>)[ORIGINAL_STAT] = fs.statSync;
  const cp = childProcess as unknown as Record<string, unknown>;
  const spawnLike = ([file, a, b]: unknown[]) => {
    const o = optionsOf(a, b);
    return refusedSpawn(String(file), argsOf(a), o?.shell, pathOf(o));
  };
  for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync']) guard(cp, name, spawnLike);
  for (const name of ['exec', 'execSync']) guard(cp, name, ([command, o]) => refusedScript(String(command), pathOf(o as Options)));
  guard(cp, 'fork', ([, a, b]) => {
    const o = optionsOf(a, b);
    return o?.execPath ? refusedSpawn(o.execPath, [], false, pathOf(o)) : undefined;
  });
  // Reads, copies and the usual "is it installed?" checks; not stat, lstat and readlink, with which
  // code walks whatever a folder holds (the twin's node root binds each entry of the machine's /var/lib).
  const reads = ['readFileSync', 'readFile', 'existsSync', 'accessSync', 'access', 'openSync', 'open', 'createReadStream',
    'copyFileSync', 'copyFile', 'cpSync', 'cp', 'readdirSync', 'readdir'];
  const fsObject = fs as unknown as Record<string, unknown>;
  for (const name of reads) guard(fsObject, name, ([path]) => refusedPath(path));
  const promises = fs.promises as unknown as Record<string, unknown>;
  for (const name of ['readFile', 'access', 'open', 'copyFile', 'cp', 'readdir']) guard(promises, name, ([path]) => refusedPath(path));
  syncBuiltinESMExports();
}
