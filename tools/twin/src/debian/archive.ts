import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive } from '@homelab/kit/internal';
import { must } from '../namespaces.js';

/**
 * Debian's archive as the twin sees it: the Packages index this machine's `apt-get update`
 * fetched (bookworm, bookworm-updates, bookworm-security: tools/testing/install-system-deps.sh),
 * and .deb files downloaded from it by the machine's own apt. Shared by every stand-in that must
 * refuse a package Debian does not ship (a container's apt-get, the node's).
 */

/** Where the twin keeps what it downloads or builds once per machine: templates, mirrors. */
export function twinCacheDir(): string {
  const dir = process.env.HOMELAB_TWIN_CACHE ?? '/var/cache/homelab-twin';
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A short key for a cache entry: the hash of what it is made from. */
export function cacheKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/** The files of this machine's Packages lists (apt's own view: `apt-get indextargets`), compressed as apt keeps them. */
function packagesLists(): string[] {
  const out = must(['apt-get', 'indextargets', '--format', '$(FILENAME)', 'Identifier: Packages']);
  return out.split('\n').filter((f) => f && existsSync(f));
}

let names: Set<string> | undefined;

/** Every binary package name in Debian's archive as this machine's apt lists have it (empty before `apt-get update`). */
export function debianPackageNames(): ReadonlySet<string> {
  if (names) return names;
  names = new Set();
  for (const file of packagesLists()) {
    // apt-helper cat-file reads the list as apt stores it (lz4, gz, xz, plain).
    const text = must(['sh', '-c', '/usr/lib/apt/apt-helper cat-file "$1" | sed -n "s/^Package: //p"', 'sh', file]);
    for (const n of text.split('\n')) if (n) names.add(n);
  }
  return names;
}

/**
 * Downloads `packages` and everything they need (with Recommends, as `apt-get install` does)
 * that a system with `status` (a dpkg status file) lacks, into `dir`, with the machine's apt and
 * its lists: the part of Debian's archive a container of that template installs from.
 */
export function downloadClosure(packages: readonly string[], status: string, dir: string): void {
  mkdirSync(join(dir, 'partial'), { recursive: true });
  must(['apt-get', 'install', '--download-only', '-y', '-q', '-o', `Dir::State::status=${status}`, '-o', `Dir::Cache::archives=${dir}`, '-o', 'Debug::NoLocking=1', ...packages]);
  rmSync(join(dir, 'partial'), { recursive: true, force: true });
  rmSync(join(dir, 'lock'), { force: true });
}

/**
 * A flat apt repository (`deb [trusted=yes] file:<dir> ./`) of the .debs in `dir`: its Packages
 * file, each stanza the .deb's control fields plus Filename, Size and SHA256, as apt reads them.
 */
export function writeFlatRepository(dir: string): void {
  const stanzas: string[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.deb')).sort()) {
    const path = join(dir, f);
    const control = must(['dpkg-deb', '-f', path]).trimEnd();
    const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
    stanzas.push(`${control}\nFilename: ./${f}\nSize: ${statSync(path).size}\nSHA256: ${sha}\n`);
  }
  writeFileSync(join(dir, 'Packages'), stanzas.join('\n'));
}

/** A cache entry made by one command (then `finish`, if given, in the entry's folder): what prewarm.ts makes side by side. */
export interface CacheEntry {
  readonly name: string;
  /** What the command is, for its error. */
  readonly what: string;
  readonly argv: (dir: string) => readonly string[];
  readonly finish?: (dir: string) => void;
}

/** How long a twin waits for another process making the same cache entry (HOMELAB_TWIN_CACHE_WAIT_SECONDS): generous, never a measure of speed. */
const CACHE_WAIT_MS = () => (Number(process.env.HOMELAB_TWIN_CACHE_WAIT_SECONDS) || 1800) * 1000;
/** A lock whose holder never wrote its pid (it died right after taking it) is stale after this long. */
const PIDLESS_LOCK_MS = 60_000;

/** Blocks this thread for `ms` (cachedDir is synchronous, as the builds it guards are). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The pid written in `lock`, 0 when none is (yet). */
function pidIn(lock: string): number {
  try {
    return Number(readFileSync(join(lock, 'pid'), 'utf8')) || 0;
  } catch {
    return 0;
  }
}

/**
 * The pid that holds `lock`, 0 when none is written yet, undefined when the lock is stale: its
 * holder gone, or no pid a minute after it was taken. (A holder's pid reused by another process
 * keeps the lock until the wait's bound, whose error names the lock to remove.)
 */
function lockHolder(lock: string): number | undefined {
  let age: number;
  try {
    age = Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0; // released just now
  }
  const pid = pidIn(lock);
  if (pid === 0) return age > PIDLESS_LOCK_MS ? undefined : 0;
  return processAlive(pid) ? pid : undefined;
}

/**
 * A folder made once per machine under the cache (keyed by what it is made from): `make` fills a
 * temporary folder that is then renamed into place, so a twin interrupted while making it leaves
 * nothing half made. One process makes it at a time (a lock folder beside it, holding the maker's
 * pid): the system tier's stand-in tests and a twin beside them, on a fresh machine, would
 * otherwise each run the same mmdebstrap and image builds; the second waits and takes the first's.
 * A lock whose process is gone is taken over.
 */
export function cachedDir(name: string, make: (dir: string) => void): string {
  const taking = takeEntry(name);
  let step = taking.next();
  while (!step.done) {
    pause(500);
    step = taking.next();
  }
  const { final, lock, held } = step.value;
  if (!held) return final;
  try {
    const tmp = freshTmp(final);
    try {
      make(tmp);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    place(tmp, final);
    return final;
  } finally {
    release(lock);
  }
}

/**
 * The same, with a maker that runs in the background (a child process), so that several entries
 * are made side by side (prewarm.ts). Within one process, await it before a synchronous cachedDir
 * asks for the same entry: that one would block the thread the maker needs to finish.
 */
export async function cachedDirAsync(name: string, make: (dir: string) => Promise<void>): Promise<string> {
  const taking = takeEntry(name);
  let step = taking.next();
  while (!step.done) {
    await new Promise((r) => setTimeout(r, 500));
    step = taking.next();
  }
  const { final, lock, held } = step.value;
  if (!held) return final;
  try {
    const tmp = freshTmp(final);
    await make(tmp).catch((e: unknown) => {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    });
    place(tmp, final);
    return final;
  } finally {
    release(lock);
  }
}

/**
 * Takes an entry: yields each time another process holds it (the caller waits as it can, blocking
 * or not), and ends with its path and whether this process now holds its lock (false: it exists).
 */
function* takeEntry(name: string): Generator<void, { final: string; lock: string; held: boolean }> {
  const { final, lock, deadline } = entryOf(name);
  for (;;) {
    const state = tryTake(final, lock, name, deadline);
    if (state === 'exists' || state === 'held') return { final, lock, held: state === 'held' };
    if (state === 'wait') yield;
  }
}

function entryOf(name: string): { final: string; lock: string; deadline: number } {
  const final = join(twinCacheDir(), name);
  return { final, lock: `${final}.lock`, deadline: Date.now() + CACHE_WAIT_MS() };
}

/** One try at an entry: it exists, this process now holds its lock, another holds it (wait), or its stale lock was removed (retry now). */
function tryTake(final: string, lock: string, name: string, deadline: number): 'exists' | 'held' | 'wait' | 'retry' {
  if (existsSync(final)) return 'exists';
  try {
    mkdirSync(lock);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const holder = lockHolder(lock);
    if (holder === undefined) {
      rmSync(lock, { recursive: true, force: true });
      return 'retry';
    }
    if (Date.now() > deadline) throw new Error(`twin: ${name} is being made by pid ${holder || '?'} for longer than HOMELAB_TWIN_CACHE_WAIT_SECONDS (${CACHE_WAIT_MS() / 1000} s); remove ${lock} if no twin runs`);
    return 'wait';
  }
  writeFileSync(join(lock, 'pid'), String(process.pid));
  if (!existsSync(final)) return 'held';
  release(lock);
  return 'exists';
}

function freshTmp(final: string): string {
  const tmp = `${final}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  return tmp;
}

function place(tmp: string, final: string): void {
  try {
    renameSync(tmp, final);
  } catch (e) {
    // Made meanwhile by a process that took over a lock it judged stale: keep that one.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(final)) throw e;
  }
}

/** Removes the lock if it is this process's own: a waiter that judged it stale in a race may have taken it since. */
function release(lock: string): void {
  if (pidIn(lock) === process.pid) rmSync(lock, { recursive: true, force: true });
}
