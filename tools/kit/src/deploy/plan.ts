import type { Finding } from '../findings.js';
import { createRequire } from 'node:module';
import type { ZfsPlan } from '../zfs/plan.js';
import type { NodeNeedState } from '../proxmox/node-ready.js';
import type { Migration } from '../proxmox/migrate.js';
import { parseYaml } from '../render/yaml.js';
import type { DeployRecord, HistoryEntry } from './record/record.js';
import { secretStamp, type LocalRelease, type ReleaseInfo } from './release/release.js';
import { servicesToRecreate } from './release/release-compose.js';
import type { RemoteState } from './release/remote-state.js';
import { describeSource, sourcesToInstall } from '../proxmox/node-guest.js';

const require = createRequire(import.meta.url);

export type FileStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface FileChange {
  readonly path: string;
  readonly kind: string;
  readonly status: FileStatus;
  /** A unified diff, host (a/) against dist (b/), for added, removed and changed files. */
  readonly diff?: string;
  /** The file holds secret values on the host (filled placeholders): compared by hash, never shown. */
  readonly holdsSecrets?: true;
}

export interface ServiceChanges {
  readonly create: readonly string[];
  readonly recreate: readonly string[];
  readonly remove: readonly string[];
  readonly unchanged: readonly string[];
}

export interface SecretChange {
  readonly name: string;
  /** `missing`: the store has no encrypted value for it, so a deploy would stop. */
  readonly status: 'added' | 'changed' | 'unchanged' | 'missing';
}

/** What a deploy would change on one host; `homelab plan --json` prints it. */
export interface DeployPlan {
  readonly host: string;
  readonly target: string;
  /** The release dist/ makes, and the one the host runs now. */
  readonly release: string;
  readonly current?: string;
  readonly changed: boolean;
  /**
   * Why a deploy of the release `current` already points at would apply it again: an interrupted
   * switch, a record that does not say it runs healthy, a container missing, changed or unhealthy.
   */
  readonly drift?: readonly string[];
  /** Set when the compose command does not run on the host: what a deploy would stop at. */
  readonly composeMissing?: string;
  /** Who deployed the current release, which commit, when. */
  readonly record?: DeployRecord;
  readonly files: readonly FileChange[];
  readonly services: ServiceChanges;
  readonly secrets: readonly SecretChange[];
  /** The last deploys, newest first. */
  readonly history: readonly HistoryEntry[];
  /** The guest definition against the Proxmox node (hosts with a pve-lxc / pve-qemu file). */
  readonly guest?: GuestPlanSummary;
  /**
   * What a container's deploy installs, each only when absent, before pushing the files whose
   * units need it (a Debian package, an upstream repository's package, a release archive).
   */
  readonly installs?: readonly string[];
  /** The pool's datasets against the layout (the Proxmox host's zfs-plan file). */
  readonly zfs?: { readonly plan: ZfsPlan } | { readonly error: string };
  /** What the Proxmox node has of what the lab's guests need on it (templates, virtiofsd, /etc/pve/mapping). */
  readonly node?: { readonly needs: readonly NodeNeedState[] } | { readonly error: string };
  /** The reverse proxy's certificate from the internal CA against the lab's route names and the date. */
  readonly certificate?: { readonly findings: readonly Finding[] } | { readonly error: string };
}

/** What the node would run for the guest definition, or why it could not be read. */
export type GuestPlanSummary =
  | {
      readonly node: string;
      readonly kind: 'lxc' | 'qemu';
      readonly vmid: number;
      readonly exists: boolean;
      /** It lives on another node now: the steps migrate it first. */
      readonly migration?: Migration;
      readonly steps: readonly string[];
      readonly skipped: readonly string[];
    }
  | { readonly error: string };

function unifiedDiff(path: string, before: string, after: string): string {
  const { createTwoFilesPatch } = require('diff') as typeof import('diff');
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, 'on the host', 'dist/', { context: 3 });
}

/** The paths whose content plan needs from the host: every file that differs, and the compose files. */
export function pathsToRead(local: LocalRelease, info: ReleaseInfo | undefined): string[] {
  if (!info) return [];
  const remote = new Map(info.manifest.artifacts.map((a) => [a.path, a.sha256]));
  const paths = new Set(info.composeFiles);
  for (const a of local.manifest.artifacts) if (remote.get(a.path) !== a.sha256 && remote.has(a.path)) paths.add(a.path);
  for (const path of remote.keys()) if (!local.files.has(path)) paths.add(path);
  // A file with filled secret placeholders is never read back: its diff would show the values.
  const secret = new Set([...local.manifest.artifacts, ...info.manifest.artifacts].filter((a) => a.install?.secrets?.length).map((a) => a.path));
  return [...paths].filter((p) => !secret.has(p)).sort();
}

type Services = Record<string, Record<string, unknown>>;

function servicesIn(files: ReadonlyMap<string, string>, composeFiles: readonly string[]): Services {
  const out: Services = {};
  for (const path of composeFiles) {
    const text = files.get(path);
    if (text === undefined) continue;
    Object.assign(out, (parseYaml(text) as { services?: Services } | null)?.services ?? {});
  }
  return out;
}

/** Which containers `up -d` recreates: changed definitions, what shares their namespace, changed secrets. */
export function serviceChanges(next: Services, before: Services, secretChanged: readonly string[]): ServiceChanges {
  const names = Object.keys(next).sort();
  const recreate = new Set(names.filter((n) => before[n] !== undefined && JSON.stringify(before[n]) !== JSON.stringify(next[n])));
  for (const n of secretChanged) if (before[n]) recreate.add(n);
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of names) {
      const mode = next[n]?.network_mode;
      if (typeof mode === 'string' && mode.startsWith('service:') && recreate.has(mode.slice(8)) && !recreate.has(n) && before[n]) {
        recreate.add(n);
        grew = true;
      }
    }
  }
  return {
    create: names.filter((n) => before[n] === undefined),
    recreate: [...recreate].sort(),
    remove: Object.keys(before).filter((n) => next[n] === undefined).sort(),
    unchanged: names.filter((n) => before[n] !== undefined && !recreate.has(n)),
  };
}

/** Compares dist/ with the release the host runs (`remoteFiles`: the contents pathsToRead named). */
export function computePlan(local: LocalRelease, state: RemoteState, remoteFiles: ReadonlyMap<string, string>, target: string, drift: readonly string[] = []): DeployPlan {
  const info = state.info;
  const remote = new Map((info?.manifest.artifacts ?? []).map((a) => [a.path, a]));
  const files: FileChange[] = [];
  const secret = (a: { install?: { secrets?: readonly string[] } } | undefined) => (a?.install?.secrets?.length ? { holdsSecrets: true as const } : {});
  for (const a of local.manifest.artifacts) {
    const r = remote.get(a.path);
    const after = local.files.get(a.path)!;
    const hidden = secret(a).holdsSecrets || secret(r).holdsSecrets;
    if (r && r.sha256 === a.sha256) files.push({ path: a.path, kind: a.kind, status: 'unchanged', ...secret(a) });
    else if (hidden) files.push({ path: a.path, kind: a.kind, status: r ? 'changed' : 'added', holdsSecrets: true });
    else if (!r) files.push({ path: a.path, kind: a.kind, status: 'added', diff: unifiedDiff(a.path, '', after) });
    else files.push({ path: a.path, kind: a.kind, status: 'changed', diff: unifiedDiff(a.path, remoteFiles.get(a.path) ?? '', after) });
  }
  for (const [path, r] of remote) {
    if (local.files.has(path)) continue;
    files.push(secret(r).holdsSecrets ? { path, kind: r.kind, status: 'removed', holdsSecrets: true } : { path, kind: r.kind, status: 'removed', diff: unifiedDiff(path, remoteFiles.get(path) ?? '', '') });
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  const nextSecrets = Object.fromEntries(local.secrets.map((s) => [s.name, secretStamp(s)]));
  const secrets = local.secrets.map((s): SecretChange => {
    if (!s.fingerprint) return { name: s.name, status: 'missing' };
    const before = info?.secrets[s.name];
    return { name: s.name, status: before === undefined ? 'added' : before === secretStamp(s) ? 'unchanged' : 'changed' };
  });
  const installs = sourcesToInstall(local.manifest.artifacts.flatMap((a) => (a.install?.source ? [a.install.source] : []))).map(describeSource);
  const services = serviceChanges(
    servicesIn(local.files, local.composeFiles),
    info ? servicesIn(remoteFiles, info.composeFiles) : {},
    servicesToRecreate({ services: local.services, secrets: nextSecrets, manifest: local.manifest }, info),
  );
  return {
    host: local.host,
    target,
    release: local.id,
    ...(state.current ? { current: state.current } : {}),
    changed: state.current !== local.id || drift.length > 0,
    ...(drift.length > 0 ? { drift } : {}),
    ...(info ? { record: info.record } : {}),
    files,
    services,
    secrets,
    ...(installs.length > 0 ? { installs } : {}),
    history: [...state.history].reverse().slice(0, 5),
  };
}
