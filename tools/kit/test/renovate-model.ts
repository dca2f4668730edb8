import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What Renovate does with renovate.json's regex managers and packageRules, reduced to what the
 * tests hold: which files a manager reads, which dependencies its patterns extract, which
 * versioning the rules give them, and how that versioning orders tags. renovate.system.test.ts
 * checks the same orderings with Renovate's own versioning code.
 */

export interface RegexManager {
  readonly managerFilePatterns: string[];
  readonly matchStrings: string[];
  readonly depNameTemplate?: string;
  readonly datasourceTemplate?: string;
  readonly versioningTemplate?: string;
}

export interface PackageRule {
  readonly matchManagers?: string[];
  readonly matchDatasources?: string[];
  readonly matchPackageNames?: string[];
  readonly matchUpdateTypes?: string[];
  readonly matchCurrentValue?: string;
  readonly [key: string]: unknown;
}

export interface RenovateConfig {
  readonly customManagers: RegexManager[];
  readonly packageRules: PackageRule[];
  readonly [key: string]: unknown;
}

export interface ExtractedDep {
  readonly file: string;
  readonly depName: string;
  readonly currentValue: string;
  readonly currentDigest?: string;
  readonly datasource: string;
  /** The manager's versioningTemplate, where it sets one. */
  readonly versioning?: string;
}

/** Renovate writes file patterns as "/regex/" strings. */
export function filePattern(pattern: string): RegExp {
  return new RegExp(pattern.slice(1, -1));
}

/** Folders no manager reads: installed packages, build output, git's own. */
const SKIPPED = new Set(['node_modules', '.git', '.homelab', '.nx', 'dist', 'lib']);

function filesUnder(root: string, dir = root): string[] {
  return readdirSync(dir)
    .filter((name) => !SKIPPED.has(name))
    .flatMap((name) => {
    const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(root, path) : [relative(root, path)];
    });
}

/** Every dependency the custom managers extract from the files under `root`, manager by manager. */
export function extract(config: RenovateConfig, root: string): ExtractedDep[] {
  const files = filesUnder(root).sort();
  return config.customManagers.flatMap((manager) =>
    files
      .filter((file) => manager.managerFilePatterns.some((p) => filePattern(p).test(file)))
      .flatMap((file) =>
        manager.matchStrings.flatMap((s) =>
          [...readFileSync(join(root, file), 'utf8').matchAll(new RegExp(s, 'g'))].map((m) => {
            const g = m.groups ?? {};
            return {
              file,
              depName: g.depName ?? manager.depNameTemplate!,
              currentValue: g.currentValue!,
              ...(g.currentDigest ? { currentDigest: g.currentDigest } : {}),
              datasource: manager.datasourceTemplate!,
              ...(manager.versioningTemplate ? { versioning: manager.versioningTemplate } : {}),
            };
          }),
        ),
      ),
  );
}

/** Renovate's glob for package names, as far as the config uses it: a trailing `/**`. */
function nameMatches(patterns: readonly string[], name: string): boolean {
  return patterns.some((p) => (p.endsWith('/**') ? name.startsWith(p.slice(0, -2)) : p === name));
}

/** The packageRules that apply to a dependency of the regex manager (ignoring update types). */
export function rulesFor(config: RenovateConfig, dep: ExtractedDep, updateType?: string): PackageRule[] {
  return config.packageRules.filter(
    (r) =>
      (!r.matchManagers || r.matchManagers.includes('custom.regex')) &&
      (!r.matchDatasources || r.matchDatasources.includes(dep.datasource)) &&
      (!r.matchPackageNames || nameMatches(r.matchPackageNames, dep.depName)) &&
      (!r.matchCurrentValue || filePattern(r.matchCurrentValue).test(dep.currentValue)) &&
      (!r.matchUpdateTypes || (updateType !== undefined && r.matchUpdateTypes.includes(updateType))),
  );
}

/** The versioning a dependency ends up with: the last rule that sets one, else its manager's, else the datasource's default. */
export function versioningOf(config: RenovateConfig, dep: ExtractedDep): string {
  const fromRules = rulesFor(config, dep)
    .map((r) => r.versioning as string | undefined)
    .filter(Boolean);
  return fromRules.at(-1) ?? dep.versioning ?? dep.datasource;
}

interface Parsed {
  readonly release: number[];
  readonly prerelease?: string;
  readonly compatibility?: string;
}

/** Renovate's regex versioning, parse step: major.minor.patch[.build[.revision]], prerelease, compatibility. */
export function parseRegexVersion(versioning: string, version: string): Parsed | null {
  const g = new RegExp(versioning.replace(/^regex:/, '')).exec(version)?.groups;
  if (!g) return null;
  const n = (v?: string) => (v === undefined ? 0 : Number.parseInt(v, 10));
  const release = [n(g.major), n(g.minor), n(g.patch)];
  if (g.build) {
    release.push(n(g.build));
    if (g.revision) release.push(n(g.revision));
  }
  return { release, ...(g.prerelease ? { prerelease: g.prerelease } : {}), ...(g.compatibility ? { compatibility: g.compatibility } : {}) };
}

/** Sign of a - b as Renovate's generic versioning orders them (a prerelease before its release). */
export function compareRegexVersions(versioning: string, a: string, b: string): number {
  const x = parseRegexVersion(versioning, a);
  const y = parseRegexVersion(versioning, b);
  if (!x || !y) throw new Error(`${!x ? a : b} is not a version under ${versioning}`);
  for (let i = 0; i < Math.max(x.release.length, y.release.length); i++) {
    const d = (x.release[i] ?? 0) - (y.release[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.prerelease && y.prerelease) return Math.sign(x.prerelease.localeCompare(y.prerelease, undefined, { numeric: true }));
  if (x.prerelease) return -1;
  if (y.prerelease) return 1;
  return 0;
}
