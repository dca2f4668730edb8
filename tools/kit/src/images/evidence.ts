import type { ServiceDef } from '../model/service.js';

/** The digest an image reference is pinned to (`...@sha256:<64 hex>`), or undefined for a tag alone. */
function pinnedDigest(image: string): string | undefined {
  const at = image.indexOf('@');
  return at >= 0 ? image.slice(at + 1) : undefined;
}

/**
 * Why a service's image facts are not evidence of the image it runs, or undefined when they are:
 * verified (`imageFacts.verified`, written by `homelab images verify --update`) at the very digest
 * the image is pinned to. A tag alone may move, so facts of an image pinned by tag are never
 * verified at its pin. What the twin refuses to build a stand-in from, unless its run is marked unverified.
 */
export function unverifiedFactsReason(service: Pick<ServiceDef, 'image' | 'imageFacts'>): string | undefined {
  const facts = service.imageFacts;
  if (!facts) return 'it has no image facts';
  const pinned = pinnedDigest(service.image);
  if (!facts.verified) return 'its facts were never verified against the image (homelab images verify)';
  if (!pinned) return `its facts were verified at ${facts.verified.digest} (${facts.verified.at}), but ${service.image} is pinned by tag alone, which may have moved`;
  if (pinned !== facts.verified.digest) return `its facts were verified at ${facts.verified.digest} (${facts.verified.at}), but the image is pinned to ${pinned}`;
  return undefined;
}
