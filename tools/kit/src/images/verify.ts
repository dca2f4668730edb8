import { Findings, sortFindings, type Finding } from '../findings.js';
import type { HostDef } from '../model/host.js';
import type { ServiceDef } from '../model/service.js';
import { compareWithImage, factsFromImage } from './compare.js';
import { readImage, type ImageRead } from './image.js';
import { parseImageReference, registryUrl } from './reference.js';
import { RegistryError } from './registry.js';

/** One service whose image is verified. */
export interface VerifyTarget {
  readonly host: HostDef;
  readonly service: ServiceDef;
}

/** What verify learned of one service's image. */
export interface ServiceVerification {
  /** `host/service` */
  readonly at: string;
  readonly host: HostDef;
  readonly service: ServiceDef;
  readonly image: string;
  /** The image as read, or why it could not be. */
  readonly read?: ImageRead;
  readonly error?: string;
  /** The facts as the image has them (user, the claimed or called commands it ships), when read. */
  readonly fromImage?: { readonly user?: string; readonly ships: readonly string[] };
}

export interface VerifyResult {
  readonly findings: Finding[];
  readonly services: ServiceVerification[];
  /** Images that could not be read (registry unreachable, refused, not found). */
  readonly unreadable: number;
}

export interface VerifyOptions {
  /** Reads one image (default: from its registry). */
  readonly read?: (image: string) => Promise<ImageRead>;
  /** Told before each image is read. */
  readonly onImage?: (image: string, registry: string) => void;
}

/** The registry an image is read from, for messages: its API's base URL. */
export function registryOf(image: string): string {
  try {
    return registryUrl(parseImageReference(image).registry);
  } catch {
    return 'its registry';
  }
}

/**
 * Reads each distinct image of `targets` once from its registry and compares every service that
 * runs it with it (compare.ts). Facts that match but carry no evidence of this digest are reported
 * as unverified. Never throws for an unreadable image: that is an `image-unreachable` finding.
 */
export async function verifyImages(targets: readonly VerifyTarget[], options: VerifyOptions = {}): Promise<VerifyResult> {
  const read = options.read ?? readImage;
  const findings = new Findings();
  const images = new Map<string, Promise<ImageRead>>();
  const services: ServiceVerification[] = [];
  let unreadable = 0;
  for (const { host, service } of targets) {
    const at = `${host.name}/${service.name}`;
    const image = service.image;
    let pending = images.get(image);
    const first = !pending;
    if (!pending) {
      options.onImage?.(image, registryOf(image));
      pending = read(image);
      images.set(image, pending);
    }
    let got: ImageRead;
    try {
      got = await pending;
    } catch (e) {
      if (!(e instanceof RegistryError)) throw e;
      if (first) unreadable++;
      findings.error('image-unreachable', `${at}/image`, `${e.message}. Run homelab images verify where the registry is reachable, or fix the image reference.`);
      if (service.imageFacts && !service.imageFacts.verified) findings.warning('image-facts-unverified', `${at}/imageFacts.verified`, `the facts were never verified against ${image}, and it could not be read now.`);
      services.push({ at, host, service, image, error: e.message });
      continue;
    }
    const before = findings.list.length;
    compareWithImage(at, service, image, got, findings);
    const facts = service.imageFacts;
    const verified = facts?.verified;
    if (facts && findings.list.length === before && verified?.digest !== got.digest) {
      findings.warning(
        'image-facts-unverified',
        `${at}/imageFacts.verified`,
        verified
          ? `the facts were verified at ${verified.digest} (${verified.at}); ${image} is now ${got.digest} and agrees with them: record it with homelab images verify --update.`
          : `the facts were never verified; ${image} (${got.digest}) agrees with them: record that with homelab images verify --update.`,
      );
    }
    services.push({ at, host, service, image, read: got, fromImage: factsFromImage(service, got) });
  }
  return { findings: sortFindings(findings.list), services, unreadable };
}
