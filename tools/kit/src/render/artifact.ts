import { createHash } from 'node:crypto';
import type { UnitSource } from '../model/unit-source.js';

/** Where a file goes on the guest, for files that are not the compose stack itself. */
export interface InstallSpec {
  /** Absolute path inside the guest (or on the Proxmox host for pve-* kinds and `on: 'proxmox-host'`). */
  readonly path: string;
  /** The machine the file goes to: the guest itself (default), or the Proxmox node it runs on. */
  readonly on?: 'guest' | 'proxmox-host';
  /** Octal mode, e.g. "0644". */
  readonly mode?: string;
  readonly owner?: string;
  /** The systemd unit to restart (or reload) when this file changes. */
  readonly restart?: string;
  /**
   * Secrets whose placeholders (`secretPlaceholder(ref)`) the content holds: deploy replaces each
   * with the decrypted value on the way to the host (`fillSecretPlaceholders`); dist/ never has them.
   */
  readonly secrets?: readonly string[];
  /**
   * `sections`: the file is a Proxmox SectionConfig (`type: id` headers) that holds sections the
   * lab does not own (storage.cfg's local, local-zfs): deploy replaces the sections this file has,
   * by type and id, and keeps every other one, instead of overwriting the file.
   */
  readonly merge?: 'sections';
  /**
   * Where the program behind `restart` comes from in a container (a Debian package, an upstream
   * apt repository's package, a release archive): its deploy installs it (`pct exec ...`) before
   * pushing the file, only when it is absent.
   */
  readonly source?: UnitSource;
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
