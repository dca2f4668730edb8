/**
 * An image reference as the registry sees it: `lscr.io/linuxserver/sonarr:4.0` is repository
 * `linuxserver/sonarr` on `lscr.io`; `grafana/grafana:13` and `postgres:16` are on Docker Hub
 * (`docker.io`), a single name under `library/`. The normalisation is Docker's own.
 */
export interface ImageReference {
  /** The registry as written (or `docker.io`), e.g. `lscr.io`. */
  readonly registry: string;
  /** The repository path on it, e.g. `library/postgres`. */
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** Parses an image reference; throws an Error saying what is wrong with it (the caller names the service). */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  if (digest !== undefined && !DIGEST.test(digest)) throw new Error(`"${image}" has a malformed digest (sha256: and 64 hex digits)`);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const tag = colon > slash ? name.slice(colon + 1) : undefined;
  const path = colon > slash ? name.slice(0, colon) : name;
  if (tag !== undefined && !TAG.test(tag)) throw new Error(`"${image}" has a malformed tag "${tag}"`);
  const parts = path.split('/');
  const first = parts[0] ?? '';
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = !hasRegistry || first === 'index.docker.io' ? 'docker.io' : first;
  const rest = hasRegistry ? parts.slice(1) : parts;
  if (rest.length === 0 || !rest.every((c) => COMPONENT.test(c))) throw new Error(`"${image}" is not an image reference: its repository must be lowercase path components`);
  const repository = registry === 'docker.io' && rest.length === 1 ? `library/${rest[0]}` : rest.join('/');
  if (tag === undefined && digest === undefined) throw new Error(`"${image}" names neither a tag nor a digest`);
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** What the manifest is fetched by: the digest when pinned (it wins over the tag), else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag!;
}

/**
 * The base URL of a registry's API. Docker Hub's is registry-1.docker.io; the others are served
 * where they are named. `HOMELAB_REGISTRY_MIRROR` overrides it (http allowed, for a loopback
 * registry in tests or a pull-through mirror): one URL for every registry, or
 * `registry=URL,registry=URL` for some of them.
 */
export function registryUrl(registry: string, mirror: string | undefined = process.env.HOMELAB_REGISTRY_MIRROR): string {
  const override = mirrorFor(registry, mirror);
  if (override) return override.replace(/\/+$/, '');
  return registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;
}

function mirrorFor(registry: string, mirror: string | undefined): string | undefined {
  if (!mirror?.trim()) return undefined;
  if (!mirror.includes('=')) return checkedUrl(mirror.trim());
  for (const pair of mirror.split(',')) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new Error(`HOMELAB_REGISTRY_MIRROR: "${pair.trim()}" is not registry=URL`);
    if (pair.slice(0, eq).trim() === registry) return checkedUrl(pair.slice(eq + 1).trim());
  }
  return undefined;
}

function checkedUrl(url: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new Error(`HOMELAB_REGISTRY_MIRROR: "${url}" is not an http(s) URL`);
  return url;
}
