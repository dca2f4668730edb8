import type { DatasetRef } from './zfs.js';
import type { NoUnknownFields } from './service.js';

/** Who may mount an export, and how. */
export interface NfsClient {
  /** An address or a CIDR network. */
  readonly host: string;
  readonly access: 'ro' | 'rw';
  /** Why this client gets this access. */
  readonly why: string;
}

export interface NfsExport {
  readonly dataset: DatasetRef;
  readonly clients: readonly NfsClient[];
}

export interface NfsExportsSpec {
  readonly name: string;
  /**
   * Where the kernel NFS server runs: the Proxmox host (an unprivileged container cannot run
   * nfsd), so the exports name the datasets' host paths and install in /etc/exports.d/.
   */
  readonly server: 'proxmox-host';
  readonly exports: readonly NfsExport[];
}

export interface NfsExportsDef extends NfsExportsSpec {
  readonly kind: 'nfs-exports';
}

/** NFS exports of datasets: `export default defineNfsExports({...})`. */
export function defineNfsExports<const S extends NfsExportsSpec>(spec: NoUnknownFields<S, NfsExportsSpec>): S & { readonly kind: 'nfs-exports' } {
  return { ...spec, kind: 'nfs-exports' };
}
