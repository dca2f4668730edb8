import type { ReleaseInfo } from '../deploy/index.js';
import { quote } from '../shell/quote.js';
import type { DriftItem } from './item.js';

/**
 * The sha256 of each file the release's manifest lists, as it is now in `dir` on the host
 * (`missing` for a file that is gone). One line per file: `<sha256|missing> <path>`.
 */
export function releaseHashesScript(dir: string, paths: readonly string[]): string {
  if (paths.length === 0) return 'true';
  return [
    `cd ${quote(dir)}`,
    `for f in ${paths.map(quote).join(' ')}; do if [ -f "$f" ]; then set -- $(sha256sum < "$f"); echo "$1 $f"; else echo "missing $f"; fi; done`,
  ].join('\n');
}

/**
 * The files a drift check hashes: every artifact of the manifest but those holding filled secret
 * placeholders (on the host they hold the values, so they never match dist/'s hash).
 */
export function checkedPaths(info: Pick<ReleaseInfo, 'manifest'>): string[] {
  return info.manifest.artifacts.filter((a) => !a.install?.secrets?.length).map((a) => a.path).sort();
}

function short(hash: string): string {
  return hash === 'missing' ? 'the file missing' : `sha256 ${hash.slice(0, 12)}`;
}

/** The files of the current release against its manifest's hashes. */
export function releaseFileDrift(host: string, info: Pick<ReleaseInfo, 'manifest'>, out: string): DriftItem[] {
  const have = new Map<string, string>();
  for (const line of out.split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) have.set(line.slice(space + 1), line.slice(0, space));
  }
  const items: DriftItem[] = [];
  const wanted = new Map(info.manifest.artifacts.map((a) => [a.path, a.sha256]));
  for (const path of checkedPaths(info)) {
    const actual = have.get(path) ?? 'missing';
    const expected = wanted.get(path)!;
    if (actual !== expected) items.push({ code: 'drift-file', host, what: `files/${path}`, expected: short(expected), actual: short(actual) });
  }
  return items;
}
