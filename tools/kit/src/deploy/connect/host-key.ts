import { createHash } from 'node:crypto';

/** The fingerprint `ssh-keygen -lf` prints for a raw public key blob: SHA256:<base64, unpadded>. */
export function fingerprint(keyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** Accepts the fingerprint as pasted: with or without the SHA256: prefix, with trailing padding. */
export function normalizeFingerprint(value: string): string {
  const bare = value.trim().replace(/^SHA256:/i, '').replace(/=+$/, '');
  return `SHA256:${bare}`;
}

export function sameFingerprint(a: string, b: string): boolean {
  return normalizeFingerprint(a) === normalizeFingerprint(b);
}
