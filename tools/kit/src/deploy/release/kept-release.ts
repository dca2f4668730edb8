import { sha256 } from '../../render/artifact.js';
import type { ReleaseInfo } from './release.js';
import type { RemoteShell } from '../../shell/remote-shell.js';
import { quote } from '../../shell/quote.js';
import type { UploadFiles } from './upload.js';

/**
 * What a kept release must hold: each file's sha256, or `null` for a file whose content is not
 * known before decrypting (filled placeholders, secrets), or that holds the record of the run that
 * uploaded it (release.json): these only have to be there.
 */
export function expectedHashes(upload: Pick<UploadFiles, 'files' | 'privateFiles'>, secretNames: readonly string[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const [path, content] of upload.files) {
    out.set(path, path === 'release.json' || upload.privateFiles?.has(path) ? null : sha256(content));
  }
  for (const name of secretNames) out.set(`secrets/${name}`, null);
  return out;
}

/**
 * What a kept release must hold by its own release.json alone (a rollback has no dist/ of it):
 * each file of its manifest with its sha256; a file with filled secret placeholders only has to be there.
 */
export function manifestHashes(info: ReleaseInfo): Map<string, string | null> {
  return new Map(info.manifest.artifacts.map((a) => [a.path, a.install?.secrets?.length ? null : a.sha256]));
}

/** One line per path: `<path>\t<sha256>` or `<path>\t-` when the file is not there. */
export function hashesScript(dir: string, paths: readonly string[]): string {
  return paths.map((p) => `f=${quote(`${dir}/${p}`)}; if [ -f "$f" ]; then printf '%s\\t%s\\n' ${quote(p)} "$(sha256sum < "$f" | cut -d' ' -f1)"; else printf '%s\\t-\\n' ${quote(p)}; fi`).join('\n');
}

/** The paths of a kept release that are missing or differ from what it must hold, sorted. */
export async function keptReleaseDamage(shell: RemoteShell, dir: string, expected: ReadonlyMap<string, string | null>): Promise<string[]> {
  const out = await shell.check('verifying the kept release', hashesScript(dir, [...expected.keys()]));
  const found = new Map(
    out
      .split('\n')
      .filter((l) => l.includes('\t'))
      .map((l) => l.split('\t') as [string, string]),
  );
  const damaged: string[] = [];
  for (const [path, want] of expected) {
    const got = found.get(path);
    if (got === undefined || got === '-' || (want !== null && got !== want)) damaged.push(path);
  }
  return damaged.sort();
}
