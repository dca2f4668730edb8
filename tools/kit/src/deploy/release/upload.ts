import { posix } from 'node:path';
import type { RemoteLayout } from './layout.js';
import type { LocalRelease, ReleaseInfo } from './release.js';
import { composeForV1, runFileName } from './release-compose.js';
import { fillSecretPlaceholders } from '../../render/secret-placeholder.js';
import { quote, writeFileScript } from '../../shell/quote.js';
import type { SecretFileOwner } from '../../model/secret-owners.js';

export interface UploadFiles {
  /** Release files by path relative to the release directory. */
  readonly files: ReadonlyMap<string, string>;
  /** Files that hold secret values (filled placeholders): written 0600, never readable by others. */
  readonly privateFiles?: ReadonlySet<string>;
  /** Secret values by name: written to secrets/<name>, mode 0600, in a 0700 directory. */
  readonly secrets: ReadonlyMap<string, Uint8Array>;
  /**
   * The owner and mode of each compose secret file: compose mounts the file as it is on the host,
   * so the service's user must be able to read it (its reader's uid, 0400). A secret without one
   * stays root's, 0600.
   */
  readonly secretOwners?: ReadonlyMap<string, SecretFileOwner>;
}

/**
 * A file's content as it goes to the host: its secret placeholders filled with the decrypted
 * values (`install.secrets`). Every other file goes exactly as built.
 */
export function filledFiles(local: Pick<LocalRelease, 'manifest' | 'files'>, values: ReadonlyMap<string, Uint8Array>): { files: Map<string, string>; privateFiles: Set<string> } {
  const files = new Map(local.files);
  const privateFiles = new Set<string>();
  const text = Object.fromEntries([...values].map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));
  for (const a of local.manifest.artifacts) {
    if (!a.install?.secrets?.length) continue;
    files.set(a.path, fillSecretPlaceholders(local.files.get(a.path)!, text));
    privateFiles.add(a.path);
  }
  return { files, privateFiles };
}

/** Everything the release directory holds besides secrets: dist/ as built (placeholders filled), the v1 compose copies, release.json. */
export function releaseFiles(local: LocalRelease, info: ReleaseInfo, v1: boolean, filled: ReadonlyMap<string, string> = local.files): Map<string, string> {
  const files = new Map(filled);
  if (v1) for (const path of local.composeFiles) files.set(runFileName(path, true), composeForV1(local.files.get(path)!));
  files.set('release.json', `${JSON.stringify(info, null, 2)}\n`);
  return files;
}

/**
 * The script that uploads a release: written into a staging directory, then renamed to
 * releases/<id> in one step, so releases/<id> is always complete. Leftover staging directories of
 * runs that were cut off are removed first (the caller holds the lock).
 */
export function uploadScript(layout: RemoteLayout, id: string, upload: UploadFiles): string {
  const staging = `${layout.releases}/.staging-${id}`;
  return [`rm -rf ${quote(layout.releases)}/.staging-*`, `mkdir -p ${quote(staging)}`, ...writeFilesLines(staging, upload), `mv -T ${quote(staging)} ${quote(layout.release(id))}`].join('\n');
}

/**
 * The lines that write a release's files into `dir` (its folders made first), then its secrets
 * into `dir/secrets` (0700), each owned and moded as its reader needs. `only` limits them to some
 * paths (a kept release repaired in place: `secrets/<name>` names a secret).
 */
export function writeFilesLines(dir: string, upload: UploadFiles, only?: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  const dirs = new Set<string>();
  for (const path of [...upload.files.keys()].sort()) {
    if (only && !only.has(path)) continue;
    const sub = posix.dirname(path);
    if (sub !== '.' && !dirs.has(sub)) {
      dirs.add(sub);
      lines.push(`mkdir -p ${quote(`${dir}/${sub}`)}`);
    }
    lines.push(writeFileScript(`${dir}/${path}`, upload.files.get(path)!, { private: upload.privateFiles?.has(path) === true }));
  }
  const secrets = [...upload.secrets].filter(([name]) => !only || only.has(`secrets/${name}`)).sort(([a], [b]) => a.localeCompare(b));
  if (secrets.length > 0) {
    lines.push(only ? `[ -d ${quote(`${dir}/secrets`)} ] || mkdir -m 0700 ${quote(`${dir}/secrets`)}` : `mkdir -m 0700 ${quote(`${dir}/secrets`)}`);
    for (const [name, value] of secrets) {
      const path = `${dir}/secrets/${name}`;
      lines.push(writeFileScript(path, value, { private: true }));
      const owner = upload.secretOwners?.get(name);
      // chown before chmod: the file is never readable by anyone but root and its owner.
      if (owner) lines.push(`chown ${owner.uid}:${owner.gid} ${quote(path)} && chmod ${owner.mode} ${quote(path)}`);
    }
  }
  return lines;
}

/** Points `current` at a release by renaming a new link over it: readers see the old or the new one. */
export function switchScript(layout: RemoteLayout, id: string): string {
  const next = `${layout.current}.next`;
  return [`ln -sfn ${quote(`releases/${id}`)} ${quote(next)}`, `mv -Tf ${quote(next)} ${quote(layout.current)}`, `touch ${quote(layout.release(id))}`].join('\n');
}

/** Removes `current` (a first deploy that failed leaves nothing that looks deployed). */
export function unlinkCurrentScript(layout: RemoteLayout): string {
  return `rm -f ${quote(layout.current)}`;
}

/** Appends one entry to the deploy record. */
export function recordScript(layout: RemoteLayout, entry: object): string {
  return `printf '%s\\n' ${quote(JSON.stringify(entry))} >> ${quote(layout.history)}`;
}

/** Keeps the newest `keep` releases, and always the ones named in `protect` (current, previous). */
export function pruneScript(layout: RemoteLayout, keep: number, protect: readonly string[]): string {
  const keepSet = protect.map((p) => `[ "$r" = ${quote(p)} ] ||`).join(' ');
  return `cd ${quote(layout.releases)} && ls -1t | tail -n +${keep + 1} | while read -r r; do ${keepSet} rm -rf -- "$r"; done`;
}
