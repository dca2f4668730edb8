import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { manifestReference, registryUrl, type ImageReference } from './reference.js';

/** The registry could not be read (unreachable, refused, not found): a message naming the image and the registry. */
export class RegistryError extends Error {}

/** A `WWW-Authenticate: Bearer realm=...,service=...,scope=...` challenge, its parameters by name. */
export interface BearerChallenge {
  readonly realm: string;
  readonly service?: string;
  readonly scope?: string;
}

/** The Bearer challenge of a 401's WWW-Authenticate header; undefined for any other scheme (Basic needs credentials). */
export function parseBearerChallenge(header: string | null): BearerChallenge | undefined {
  const m = header ? /^\s*Bearer\s+(.*)$/i.exec(header) : null;
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[1]!.matchAll(/([A-Za-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  if (!params.realm) return undefined;
  return { realm: params.realm, ...(params.service ? { service: params.service } : {}), ...(params.scope ? { scope: params.scope } : {}) };
}

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;
const ACCEPT = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest].join(', ');

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size?: number;
  readonly platform?: { readonly os?: string; readonly architecture?: string; readonly variant?: string };
}

export interface RegistryManifest {
  readonly mediaType: string;
  /** The digest of the manifest's bytes (what `image@sha256:` pins). */
  readonly digest: string;
  readonly manifests?: readonly Descriptor[];
  readonly config?: Descriptor;
  readonly layers?: readonly Descriptor[];
}

/** The platform the lab runs: linux/amd64. From an index, its entry (attestations are `unknown/unknown`). */
export function pickPlatform(index: readonly Descriptor[], os = 'linux', architecture = 'amd64'): Descriptor | undefined {
  return index.find((d) => d.platform?.os === os && d.platform.architecture === architecture);
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Reads one repository of one registry over the OCI Distribution API, with an anonymous bearer token when asked for one. */
export class RegistryClient {
  private token: string | undefined;
  readonly base: string;

  constructor(
    readonly ref: ImageReference,
    readonly image: string,
    private readonly timeoutMs = 60_000,
  ) {
    this.base = registryUrl(ref.registry);
  }

  private where(): string {
    return `${this.image} from ${this.ref.registry}${this.base.includes(this.ref.registry) ? '' : ` (at ${this.base})`}`;
  }

  private async get(path: string, accept?: string, timeoutMs = this.timeoutMs): Promise<Response> {
    const url = `${this.base}/v2/${this.ref.repository}/${path}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const headers: Record<string, string> = {};
      if (accept) headers.accept = accept;
      if (this.token) headers.authorization = `Bearer ${this.token}`;
      let res: Response;
      try {
        res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (e) {
        throw new RegistryError(`cannot read ${this.where()}: ${describe(e)}`);
      }
      if (res.status === 401 && attempt === 0) {
        const challenge = parseBearerChallenge(res.headers.get('www-authenticate'));
        await res.body?.cancel();
        if (!challenge) throw new RegistryError(`cannot read ${this.where()}: the registry asks for credentials (${res.headers.get('www-authenticate') ?? 'no challenge'}); only anonymous pulls are supported`);
        this.token = await this.fetchToken(challenge);
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new RegistryError(`cannot read ${this.where()}: GET ${url} answered ${res.status} ${res.statusText}${res.status === 404 ? ' (no such repository, tag or digest)' : ''}`);
      }
      return res;
    }
    throw new RegistryError(`cannot read ${this.where()}: the registry refused the token it issued`);
  }

  private async fetchToken(challenge: BearerChallenge): Promise<string> {
    let url: URL;
    try {
      url = new URL(challenge.realm);
    } catch {
      throw new RegistryError(`cannot read ${this.where()}: its token realm "${challenge.realm}" is not a URL`);
    }
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', challenge.scope ?? `repository:${this.ref.repository}:pull`);
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new RegistryError(`cannot read ${this.where()}: its token service ${url.origin} is unreachable: ${describe(e)}`);
    }
    if (!res.ok) throw new RegistryError(`cannot read ${this.where()}: its token service answered ${res.status} ${res.statusText}`);
    const body = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`cannot read ${this.where()}: its token service answered without a token`);
    return token;
  }

  /** The manifest at `reference` (a tag or digest); a digest is checked against the bytes. */
  async manifest(reference: string = manifestReference(this.ref)): Promise<RegistryManifest> {
    const res = await this.get(`manifests/${reference}`, ACCEPT);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const digest = sha256(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) throw new RegistryError(`cannot read ${this.where()}: the manifest at ${reference} hashes to ${digest}`);
    let body: Omit<RegistryManifest, 'digest'>;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes)) as Omit<RegistryManifest, 'digest'>;
    } catch {
      throw new RegistryError(`cannot read ${this.where()}: the manifest at ${reference} is not JSON`);
    }
    return { ...body, mediaType: body.mediaType ?? res.headers.get('content-type') ?? '', digest };
  }

  /** A blob's bytes, checked against its digest. */
  async blob(digest: string): Promise<Uint8Array> {
    const bytes = new Uint8Array(await (await this.get(`blobs/${digest}`)).arrayBuffer());
    if (sha256(bytes) !== digest) throw new RegistryError(`cannot read ${this.where()}: blob ${digest} does not hash to its digest`);
    return bytes;
  }

  /** A blob as a stream (layers can be large), with `check()` to call once it is read: throws when it does not hash to its digest. */
  async blobStream(digest: string): Promise<{ stream: Readable; check: () => void }> {
    const res = await this.get(`blobs/${digest}`, undefined, 30 * 60_000);
    const hash = createHash('sha256');
    const body = Readable.fromWeb(res.body as Parameters<typeof Readable.fromWeb>[0]);
    const stream = Readable.from(
      (async function* hashed() {
        for await (const chunk of body) {
          hash.update(chunk as Buffer);
          yield chunk as Buffer;
        }
      })(),
    );
    return {
      stream,
      check: () => {
        const got = `sha256:${hash.digest('hex')}`;
        if (got !== digest) throw new RegistryError(`cannot read ${this.where()}: layer ${digest} hashes to ${got}`);
      },
    };
  }

  /** The failure of reading this image, as a RegistryError naming it. */
  fail(why: string): RegistryError {
    return new RegistryError(`cannot read ${this.where()}: ${why}`);
  }
}

function describe(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'no answer in time';
  return err.cause?.message ?? err.cause?.code ?? err.message;
}
