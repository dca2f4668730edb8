import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { applyLayer, type ImageFiles } from './layers.js';
import { parseImageReference, type ImageReference } from './reference.js';
import { MEDIA, pickPlatform, RegistryClient, RegistryError, type RegistryManifest } from './registry.js';
import { readTar, type TarEntry } from './tar.js';

/** What an image's config says about how it runs (the `config` of its config blob). */
export interface ImageConfig {
  readonly User?: string;
  readonly ExposedPorts?: Record<string, unknown>;
  readonly Entrypoint?: readonly string[] | null;
  readonly Cmd?: readonly string[] | null;
  readonly Healthcheck?: { readonly Test?: readonly string[] };
  readonly WorkingDir?: string;
  readonly Env?: readonly string[];
}

/** One image as the registry serves it for linux/amd64: its config and its filesystem. */
export interface ImageRead {
  readonly image: string;
  readonly ref: ImageReference;
  /** The digest of what the reference names (an index when the image is multi-platform): what `@sha256:` pins. */
  readonly digest: string;
  /** The linux/amd64 manifest's digest (the same as `digest` for a single-platform image). */
  readonly manifestDigest: string;
  readonly config: ImageConfig;
  readonly files: ImageFiles;
}

/** The files whose content is kept: the rest is only listed. */
const KEPT = new Set(['etc/passwd', 'etc/group']);

function decompressor(mediaType: string): NodeJS.ReadWriteStream | undefined {
  if (/gzip$/.test(mediaType)) return zlib.createGunzip();
  if (/zstd$/.test(mediaType)) {
    const zstd = (zlib as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
    if (!zstd) throw new Error(`a zstd layer (${mediaType}) needs a Node with zlib zstd support`);
    return zstd();
  }
  if (/tar$/.test(mediaType)) return undefined;
  throw new Error(`layer media type ${mediaType} is not a tar layer`);
}

async function platformManifest(client: RegistryClient, top: RegistryManifest): Promise<RegistryManifest> {
  if (top.mediaType === MEDIA.ociIndex || top.mediaType === MEDIA.dockerList || top.manifests) {
    const chosen = pickPlatform(top.manifests ?? []);
    if (!chosen) {
      const offered = (top.manifests ?? []).map((d) => `${d.platform?.os}/${d.platform?.architecture}`).join(', ');
      throw client.fail(`it has no linux/amd64 image (it offers ${offered || 'none'})`);
    }
    return client.manifest(chosen.digest);
  }
  return top;
}

/** Reads an image's config and filesystem straight from its registry (no Docker daemon needed). Throws RegistryError naming the image and registry. */
export async function readImage(image: string): Promise<ImageRead> {
  let ref: ImageReference;
  let client: RegistryClient;
  try {
    ref = parseImageReference(image);
    client = new RegistryClient(ref, image);
  } catch (e) {
    // A malformed reference, or HOMELAB_REGISTRY_MIRROR: the message says which.
    throw new RegistryError(`cannot read ${image}: ${(e as Error).message}`);
  }
  const top = await client.manifest();
  const manifest = await platformManifest(client, top);
  if (!manifest.config || !manifest.layers) throw client.fail(`manifest ${manifest.digest} (${manifest.mediaType}) is not an image manifest`);
  let blob: { config?: ImageConfig };
  try {
    blob = JSON.parse(new TextDecoder().decode(await client.blob(manifest.config.digest))) as { config?: ImageConfig };
  } catch (e) {
    if (e instanceof RegistryError) throw e;
    throw client.fail(`its config blob ${manifest.config.digest} is not JSON`);
  }
  const files: ImageFiles = new Map();
  for (const layer of manifest.layers) {
    const { stream, check } = await client.blobStream(layer.digest);
    const entries: TarEntry[] = [];
    try {
      const unpack = decompressor(layer.mediaType);
      const source: AsyncIterable<Uint8Array> = unpack ? (stream.pipe(unpack) as unknown as Readable) : stream;
      if (unpack) stream.on('error', (e) => (unpack as unknown as Readable).destroy(e));
      for await (const entry of readTar(source, (path) => KEPT.has(path))) entries.push(entry);
    } catch (e) {
      if (e instanceof RegistryError) throw e;
      throw client.fail(`layer ${layer.digest}: ${(e as Error).message}`);
    }
    check();
    applyLayer(files, entries);
  }
  return { image, ref, digest: top.digest, manifestDigest: manifest.digest, config: blob.config ?? {}, files };
}
