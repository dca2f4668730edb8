import type { Manifest } from '../../render/artifact.js';
import { parseYaml, toYaml } from '../../render/yaml.js';

/** What one service of a release reads besides its definition: secrets, and files of the release it mounts. */
export interface ServiceUse {
  readonly secrets: readonly string[];
  /** Bind sources relative to the release (./prometheus/prometheus.yml -> prometheus/prometheus.yml). */
  readonly files: readonly string[];
}

type Volume = string | { type?: string; source?: string };

interface ComposeShape {
  readonly name?: unknown;
  readonly services?: Record<string, { secrets?: (string | { source: string })[]; volumes?: Volume[] } | null>;
  readonly secrets?: Record<string, unknown>;
}

function relativeSource(volume: Volume): string | undefined {
  const source = typeof volume === 'string' ? volume.split(':')[0] : volume.type === 'bind' || volume.type === undefined ? volume.source : undefined;
  if (!source || !source.startsWith('./')) return undefined;
  return source.slice(2).replace(/\/+$/, '');
}

/** Service -> what it reads, over every compose file of the release. */
export function servicesOf(files: ReadonlyMap<string, string>, composeFiles: readonly string[]): Record<string, ServiceUse> {
  const services: Record<string, ServiceUse> = {};
  for (const path of composeFiles) {
    const doc = parseYaml(files.get(path)!) as ComposeShape | null;
    for (const [name, svc] of Object.entries(doc?.services ?? {})) {
      services[name] = {
        secrets: (svc?.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source)).sort(),
        files: (svc?.volumes ?? []).flatMap((v) => relativeSource(v) ?? []).sort(),
      };
    }
  }
  return Object.fromEntries(Object.keys(services).sort().map((k) => [k, services[k]!]));
}

export function composeSecretNames(content: string): string[] {
  const doc = parseYaml(content) as ComposeShape | null;
  return Object.keys(doc?.secrets ?? {});
}

/** The stack's project name: the compose files' top-level `name`, else the host's. */
export function projectOf(files: ReadonlyMap<string, string>, composeFiles: readonly string[], host: string): string {
  for (const path of composeFiles) {
    const doc = parseYaml(files.get(path)!) as ComposeShape | null;
    if (typeof doc?.name === 'string') return doc.name;
  }
  return host;
}

/** docker-compose v1 rejects the top-level `name` (the project name goes on its command line). */
export function composeForV1(content: string): string {
  const { name: _name, ...rest } = parseYaml(content) as Record<string, unknown>;
  return toYaml(rest);
}

/** The file compose runs: the rendered one, or for v1 its copy without `name`. */
export function runFileName(path: string, v1: boolean): string {
  return v1 ? path.replace(/(\.ya?ml)?$/, '.v1$1') : path;
}

/** The release's side of a comparison: what its services read, its secrets' fingerprints, its files. */
export interface ReleaseUses {
  readonly services: Readonly<Record<string, ServiceUse>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly manifest: Pick<Manifest, 'artifacts'>;
}

/**
 * Services compose would leave running although what they read changed: a secret re-encrypted,
 * or a file of the release they mount (their definitions are the same, so `up -d` keeps them).
 */
export function servicesToRecreate(next: ReleaseUses, before: ReleaseUses | undefined): string[] {
  if (!before) return [];
  const secrets = new Set(Object.keys(next.secrets).filter((n) => before.secrets[n] !== undefined && before.secrets[n] !== next.secrets[n]));
  const old = new Map(before.manifest.artifacts.map((a) => [a.path, a.sha256]));
  const now = new Map(next.manifest.artifacts.map((a) => [a.path, a.sha256]));
  const changedFiles = [...new Set([...old.keys(), ...now.keys()])].filter((p) => old.get(p) !== now.get(p));
  const touches = (source: string) => changedFiles.some((p) => p === source || p.startsWith(`${source}/`));
  return Object.entries(next.services)
    .filter(([name, use]) => before.services[name] !== undefined && (use.secrets.some((s) => secrets.has(s)) || use.files.some(touches)))
    .map(([name]) => name)
    .sort();
}
