import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/**
 * A folder made once per machine under the cache (keyed by what it is made from): `make` fills a
 * temporary folder that is then renamed into place, so a twin interrupted while making it leaves
 * nothing half made, and two twins making it at once each end with a whole one.
 */
export function cachedDir(name: string, make: (dir: string) => void): string {
  const final = join(twinCacheDir(), name);
  if (existsSync(final)) return final;
  const tmp = `${final}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  make(tmp);
  try {
    renameSync(tmp, final);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another twin made it first
  }
  return final;
}
