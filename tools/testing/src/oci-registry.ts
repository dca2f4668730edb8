import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { requireTool } from './tools.js';

/** One entry of a layer: a file's content (mode 0755 unless given), a symlink, or an empty directory. */
export type LayerEntry = string | { readonly content: string; readonly mode: number } | { readonly symlink: string } | { readonly dir: true };

/** A layer: paths (without the leading slash) to entries; `.wh.<name>` and `.wh..wh..opq` are whiteouts, as image builders write them. */
export interface LayerSpec {
  readonly files: Readonly<Record<string, LayerEntry>>;
  /** GNU tar's archive format for this layer (gnu writes long names as `L` entries, pax as `x` headers). */
  readonly format?: 'gnu' | 'pax' | 'ustar';
}

/** An image for linux/amd64: the `config` of its config blob (User, Entrypoint, Healthcheck, ...) and its layers. */
export interface ImageSpec {
  readonly config: Readonly<Record<string, unknown>>;
  readonly layers: readonly LayerSpec[];
}

export interface RepositorySpec {
  readonly repository: string;
  readonly tag: string;
  readonly image: ImageSpec;
  /** Serve it as a multi-platform index: this image as linux/amd64, `arm64` as linux/arm64, and an attestation entry. */
  readonly arm64?: ImageSpec;
}

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A gzip'd tar of `spec`, made by the system's GNU tar from a real directory tree (so the reader is checked against real archives). */
export function buildLayer(spec: LayerSpec): Buffer {
  const tar = requireTool('tar');
  requireTool('gzip');
  const dir = mkdtempSync(join(tmpdir(), 'homelab-layer-'));
  try {
    for (const [path, entry] of Object.entries(spec.files)) {
      const at = join(dir, path);
      mkdirSync(dirname(at), { recursive: true });
      if (typeof entry === 'string') writeFileSync(at, entry, { mode: 0o755 });
      else if ('symlink' in entry) symlinkSync(entry.symlink, at);
      else if ('dir' in entry) mkdirSync(at, { recursive: true });
      else writeFileSync(at, entry.content, { mode: entry.mode });
    }
    const r = spawnSync(tar, [`--format=${spec.format ?? 'gnu'}`, '--numeric-owner', '--owner=0', '--group=0', '--sort=name', '-C', dir, '-czf', '-', '.'], { maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`tar failed: ${r.stderr.toString()}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A registry on 127.0.0.1 that serves images as Docker Hub does: a 401 Bearer challenge, an anonymous token, manifests by tag or digest, blobs through a redirect. */
export interface TestRegistry {
  readonly url: string;
  /** `repository:tag` -> the digest its tag points to (an index when multi-platform). */
  readonly digests: ReadonlyMap<string, string>;
  /** Every request, `METHOD path` (for asserting the token flow). */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startRegistry(repositories: readonly RepositorySpec[]): Promise<TestRegistry> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { body: Buffer; type: string }>(); // `${repo}@${digest}` and `${repo}:${tag}`
  const digests = new Map<string, string>();
  const putBlob = (bytes: Buffer) => {
    const d = digestOf(bytes);
    blobs.set(d, bytes);
    return { digest: d, size: bytes.length };
  };
  const putImage = (repo: string, image: ImageSpec, type: string) => {
    const config = putBlob(Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: image.config, rootfs: { type: 'layers', diff_ids: [] } })));
    const layers = image.layers.map((l) => ({ mediaType: type === OCI_MANIFEST ? 'application/vnd.oci.image.layer.v1.tar+gzip' : 'application/vnd.docker.image.rootfs.diff.tar.gzip', ...putBlob(buildLayer(l)) }));
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: type, config: { mediaType: type === OCI_MANIFEST ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json', ...config }, layers }));
    const d = digestOf(body);
    manifests.set(`${repo}@${d}`, { body, type });
    return { digest: d, size: body.length };
  };
  for (const r of repositories) {
    if (r.arm64) {
      const amd = putImage(r.repository, r.image, OCI_MANIFEST);
      const arm = putImage(r.repository, r.arm64, OCI_MANIFEST);
      const body = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_INDEX,
          manifests: [
            { mediaType: OCI_MANIFEST, ...arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
            { mediaType: OCI_MANIFEST, ...amd, platform: { os: 'linux', architecture: 'amd64' } },
            { mediaType: OCI_MANIFEST, ...arm, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } },
          ],
        }),
      );
      const d = digestOf(body);
      manifests.set(`${r.repository}@${d}`, { body, type: OCI_INDEX });
      manifests.set(`${r.repository}:${r.tag}`, { body, type: OCI_INDEX });
      digests.set(`${r.repository}:${r.tag}`, d);
    } else {
      const m = putImage(r.repository, r.image, DOCKER_MANIFEST);
      manifests.set(`${r.repository}:${r.tag}`, manifests.get(`${r.repository}@${m.digest}`)!);
      digests.set(`${r.repository}:${r.tag}`, m.digest);
    }
  }
  const requests: string[] = [];
  const service = 'homelab-test-registry';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}`);
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url.pathname === '/token') {
      const scope = url.searchParams.get('scope') ?? '';
      const m = /^repository:(.+):pull$/.exec(scope);
      if (url.searchParams.get('service') !== service || !m) return void res.writeHead(400).end('bad token request');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `pull:${m[1]}` }));
      return;
    }
    if (url.pathname.startsWith('/cdn/')) {
      const blob = blobs.get(url.pathname.slice(5));
      if (!blob) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length }).end(blob);
      return;
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    const repo = m?.[1] ?? '';
    if (req.headers.authorization !== `Bearer pull:${repo}`) {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="${service}",scope="repository:${repo}:pull"`, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
      return;
    }
    if (!m) return void res.writeHead(404).end();
    if (m[2] === 'blobs') {
      if (!blobs.has(m[3]!)) return void res.writeHead(404).end();
      res.writeHead(307, { location: `${base}/cdn/${m[3]}` }).end();
      return;
    }
    const ref = m[3]!;
    const manifest = manifests.get(ref.startsWith('sha256:') ? `${repo}@${ref}` : `${repo}:${ref}`);
    if (!manifest) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}');
    res.writeHead(200, { 'content-type': manifest.type, 'docker-content-digest': digestOf(manifest.body) }).end(manifest.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    digests,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
