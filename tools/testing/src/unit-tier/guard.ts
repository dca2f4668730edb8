import { statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, normalize, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MINIMAL_DEBIAN } from './minimal-debian.js';

/**
 * What the unit tier may use of the machine: a minimal Debian 12 (MINIMAL_DEBIAN, its required and
 * important packages and git) plus what the README's first command brings. Anything else is a
 * later tier's (tools/testing/install-system-deps.sh), and a unit test that runs or reads it passes
 * only on a machine where that tier ran before.
 */

/** Not Debian's: Node 24 and what `npm i -g pnpm` puts beside it (README, first command). */
const NODE_COMMANDS = ['node', 'npm', 'npx', 'corepack', 'pnpm', 'pnpx', 'pn', 'pnx'] as const;
const COMMANDS: ReadonlySet<string> = new Set<string>([...MINIMAL_DEBIAN.commands, ...NODE_COMMANDS]);
const BIN_DIRS: ReadonlySet<string> = new Set(['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);
/** Where Debian's own nodejs and npm packages put Node's files, when Node came from them. */
const NODE_ENTRIES: Readonly<Record<string, readonly string[]>> = { '/usr/lib': ['node_modules'], '/usr/share': ['nodejs'] };
const ENTRIES: readonly (readonly [string, ReadonlySet<string>])[] = Object.entries(MINIMAL_DEBIAN.entries).map(
  ([dir, names]) => [dir, new Set<string>([...names, ...(NODE_ENTRIES[dir] ?? [])])] as const,
);
/** The folder Node is installed in (~/.local/node24, /opt/hostedtoolcache/...), unless it is a system folder. */
const NODE_HOME = ((home: string) => (['/', '/usr', '/usr/local'].includes(home) ? undefined : home))(dirname(dirname(process.execPath)));

/** Words of a shell line that are no program: its keywords and builtins (dash's and bash's). */
const SHELL_WORDS: ReadonlySet<string> = new Set(
  ('if then else elif fi do done while until for case esac in function select time ! { } [[ ]] ' +
    ': . [ alias bg break builtin cd command continue declare echo eval exec exit export false fg getopts hash jobs kill ' +
    'let local printf pwd read readonly return set shift source test times trap true type typeset ulimit umask unalias unset wait').split(' '),
);
/** Commands that run the next word as the program. */
const RUNS_NEXT: ReadonlySet<string> = new Set(['exec', 'command', 'env', 'nice', 'nohup', 'timeout', 'setsid', 'xargs', 'stdbuf']);

const why = `a minimal Debian 12 (${MINIMAL_DEBIAN.source}, read ${MINIMAL_DEBIAN.read}) plus Node and pnpm does not have it`;
const move = 'a test that needs it belongs in *.system.test.ts or *.twin.test.ts, or builds a stand-in of its own';

/** node:fs's own statSync, from before the setup guarded it (the guard's lookups are not a test's reads). */
export const ORIGINAL_STAT = Symbol.for('homelab.unit-tier.statSync');

function isFile(path: string): boolean {
  const stat = (globalThis as Record<symbol, unknown>)[ORIGINAL_STAT] as typeof statSync | undefined ?? statSync;
  try {
    return stat(path).isFile();
  } catch {
    return false;
  }
}

/** Why a unit test may not read `path` (a system path only a later tier installs), or undefined. */
export function refusedPath(path: unknown): string | undefined {
  let p: string;
  if (typeof path === 'string') p = path;
  else if (path instanceof URL && path.protocol === 'file:') p = fileURLToPath(path);
  else return undefined;
  if (!isAbsolute(p)) return undefined;
  p = normalize(p);
  if (NODE_HOME && p.startsWith(`${NODE_HOME}/`)) return undefined;
  if (BIN_DIRS.has(dirname(p)) && !COMMANDS.has(posix.basename(p))) return `reads ${p}: ${why}; ${move}`;
  for (const [dir, names] of ENTRIES) {
    if (!p.startsWith(`${dir}/`)) continue;
    const first = p.slice(dir.length + 1).split('/')[0]!;
    if (first !== '' && !names.has(first)) return `reads ${p}: ${why}; ${move}`;
  }
  return undefined;
}

/** Why a unit test may not run `program` (as spawn or execFile take it), or undefined. */
export function refusedProgram(program: string, path = process.env.PATH ?? ''): string | undefined {
  if (program.includes('/')) {
    if (!isAbsolute(program)) return undefined;
    const p = normalize(program);
    if (BIN_DIRS.has(dirname(p)) && !COMMANDS.has(posix.basename(p))) return `runs ${p}: ${why}; ${move}`;
    return refusedPath(p)?.replace(/^reads/, 'runs');
  }
  if (COMMANDS.has(program)) return undefined;
  // A program of the workspace (node_modules/.bin) or one the test made itself, found first on its PATH.
  for (const dir of path.split(delimiter)) {
    if (dir === '' || BIN_DIRS.has(normalize(dir))) continue;
    if (isFile(`${dir}/${program}`)) return undefined;
  }
  return `runs \`${program}\`: ${why}; ${move}`;
}

/** The programs a shell script runs, as far as its words say (each simple command's first word). */
export function shellPrograms(script: string): string[] {
  const programs: string[] = [];
  // A quoted string is one word, whatever is in it (an awk or sed program, a message).
  const unquoted = script.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, (q) => (/^(['"])[A-Za-z0-9_./+-]+\1$/.test(q) ? q.slice(1, -1) : '"…"'));
  for (const part of unquoted.split(/\$\(|[;&|\n()`]/)) {
    const words = part.trim().split(/\s+/);
    let i = 0;
    while (i < words.length) {
      const w = words[i]!;
      if (w === '' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || /^\d*[<>]/.test(w)) { i++; continue; }
      if (RUNS_NEXT.has(w)) {
        i++;
        while (i < words.length && (words[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!) || /^\d+[smhd]?$/.test(words[i]!))) i++;
        continue;
      }
      if (!SHELL_WORDS.has(w) && /^(\/|[A-Za-z0-9_.+-])[A-Za-z0-9_./+-]*$/.test(w)) programs.push(w);
      break;
    }
  }
  return programs;
}

/** Why a unit test may not run this shell script, or undefined. */
export function refusedScript(script: string, path?: string): string | undefined {
  for (const program of shellPrograms(script)) {
    const refused = refusedProgram(program, path);
    if (refused) return refused;
  }
  return undefined;
}

const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash']);

/** Why a unit test may not spawn `file` with `args` (and a shell when `shell` is set), or undefined. */
export function refusedSpawn(file: string, args: readonly string[], shell: unknown, path?: string): string | undefined {
  if (shell) return refusedScript([file, ...args].join(' '), path);
  const refused = refusedProgram(file, path);
  if (refused) return refused;
  const c = args.indexOf('-c');
  if (SHELLS.has(posix.basename(file)) && c >= 0 && typeof args[c + 1] === 'string') return refusedScript(args[c + 1]!, path);
  return undefined;
}

const REFUSALS = Symbol.for('homelab.unit-tier.refusals');
type WithRefusals = typeof globalThis & { [REFUSALS]?: string[] };

/** Records a refusal (so that a test which swallows the error still fails) and returns the error to throw. */
export function refusal(what: string): Error {
  const g = globalThis as WithRefusals;
  (g[REFUSALS] ??= []).push(what);
  return new Error(`unit tier: ${what}`);
}

/** The refusals since the last call (and forgets them): the setup fails a test that had any. */
export function takeRefusals(): string[] {
  const g = globalThis as WithRefusals;
  const taken = g[REFUSALS] ?? [];
  g[REFUSALS] = [];
  return taken;
}
