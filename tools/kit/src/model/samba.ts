import type { DatasetRef } from './zfs.js';
import type { SecretRef } from './secret.js';
import type { NoUnknownFields } from './service.js';

/** A login for the shares; Samba keeps its NT hash, which arrives from a secret at deploy. */
export interface SambaUser {
  readonly name: string;
  /** The account's uid inside the container (it owns nothing: shares write as the force user). */
  readonly uid: number;
  /** The secret holding the NT hash of the password (32 hex digits; docs/lxc.md says how to make it). */
  readonly ntHash: SecretRef;
}

export interface SambaShare {
  /** The share name clients see (\\host\name). */
  readonly name: string;
  readonly comment: string;
  readonly dataset: DatasetRef;
  readonly sub?: string;
  /** Read-only for everyone in `users`, except those in `writers`. */
  readonly readOnly: boolean;
  /** Who may connect (Samba user names). */
  readonly users: readonly string[];
  /** Who may write to a read-only share. */
  readonly writers?: readonly string[];
  /** Why the share is (or is not) read-only, for the reader of the source. */
  readonly why: string;
}

export interface SambaSpec {
  readonly name: string;
  readonly workgroup: string;
  /** The NetBIOS name (15 characters at most); also what `server string` shows. */
  readonly netbiosName: string;
  /**
   * The account every share reads and writes as, whatever the login: the lab's app uid/gid, so
   * files match what the containers on the VMs write (the LXC passes this id through its idmap).
   */
  readonly forceUser: { readonly name: string; readonly uid: number; readonly gid: number };
  /** Networks allowed to connect (CIDRs); everything else is refused. */
  readonly allowFrom: readonly string[];
  readonly users: readonly SambaUser[];
  readonly shares: readonly SambaShare[];
}

export interface SambaDef extends SambaSpec {
  readonly kind: 'samba';
}

/** Samba file shares of datasets: `export default defineSamba({...})`. */
export function defineSamba<const S extends SambaSpec>(spec: NoUnknownFields<S, SambaSpec>): S & { readonly kind: 'samba' } {
  return { ...spec, kind: 'samba' };
}
