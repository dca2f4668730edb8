import { createHash } from 'node:crypto';

/** Where a file goes on the guest, for files that are not the compose stack itself. */
export interface InstallSpec {
  /** Absolute path inside the guest (or on the Proxmox host for pve-* kinds). */
  readonly path: string;
  /** Octal mode, e.g. "0644". */
  readonly mode?: string;
  readonly owner?: string;
  /** The systemd unit to restart (or reload) when this file changes. */
  readonly restart?: string;
}

/** One rendered file of a host, relative to its dist/. */
export interface Artifact {
  readonly path: string;
  readonly kind: string;
  readonly content: string;
  readonly install?: InstallSpec;
}

export interface Manifest {
  readonly host: string;
  readonly kind: string;
  readonly address: string;
  /** The guest's Proxmox id; a Proxmox host (kind `pve`) has none. */
  readonly vmid?: number;
  readonly node: string;
  readonly artifacts: readonly {
    readonly path: string;
    readonly kind: string;
    readonly sha256: string;
    readonly install?: InstallSpec;
  }[];
}

export function sha256(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}
