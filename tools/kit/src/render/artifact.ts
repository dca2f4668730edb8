import { createHash } from 'node:crypto';

/** One rendered file of a host, relative to its dist/. */
export interface Artifact {
  readonly path: string;
  readonly kind: string;
  readonly content: string;
}

export interface Manifest {
  readonly host: string;
  readonly kind: string;
  readonly address: string;
  readonly vmid: number;
  readonly node: string;
  readonly artifacts: readonly { readonly path: string; readonly kind: string; readonly sha256: string }[];
}

export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}
