import type { DatasetRef } from './zfs.js';
import type { ServiceDef } from './service.js';
import type { DaemonDef } from './daemon.js';
import type { LxcSpec } from './lxc.js';
import type { VmSpec } from './qemu.js';
import type { KubernetesSpec } from './kubernetes.js';
import type { NoUnknownFields } from './service.js';

export type HostKind = 'vm' | 'lxc';

/**
 * How deploy reaches the host; every field has a default and can be overridden per run
 * (HOMELAB_DEPLOY_<HOST>_* variables or flags, see docs/deploy.md).
 */
export interface DeployTarget {
  /** Where to connect, when not the host's LAN address (e.g. a tunnel). */
  readonly address?: string;
  /** SSH user; default root (secrets are written as root-only files). */
  readonly user?: string;
  /** SSH port; default 22. */
  readonly port?: number;
  /** SHA256 fingerprint of the host key, as `ssh-keygen -lf` prints it (SHA256:...). */
  readonly hostKey?: string;
  /** The compose command on the host, e.g. "docker compose" (default) or "docker-compose". */
  readonly composeCommand?: string;
  /** The docker command on the host; default: the compose command with its compose part replaced by "docker". */
  readonly dockerCommand?: string;
  /** Where releases live on the host: <releaseRoot>/<host>/releases/<id>; default /opt/homelab. */
  readonly releaseRoot?: string;
  /** How many releases to keep on the host (the current and the previous one always stay); default 5. */
  readonly keepReleases?: number;
  /** How long a deploy waits for the stack to be healthy before rolling back; default 120. */
  readonly healthTimeoutSeconds?: number;
  /**
   * Where the release goes: over SSH to the guest itself (default for VMs), or through the
   * Proxmox node with `pct push` (default for LXC containers).
   */
  readonly via?: 'ssh' | 'proxmox';
  /**
   * `node`: reach the guest over SSH through the Proxmox node that holds it (a ProxyJump via that
   * node's address), for a deploying machine that reaches the nodes but not the guests' network.
   * A ProxyJump in ~/.ssh/config for the guest wins.
   */
  readonly jump?: 'node';
}

export interface GuestSpec {
  readonly name: string;
  readonly kind: HostKind;
  /** Proxmox guest id, unique across the cluster. */
  readonly vmid: number;
  /** The Proxmox node the guest runs on (a single-node lab leaves the default). */
  readonly node?: string;
  readonly address: string;
  readonly cores: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  /** The dataset subtrees this host owns; its bind mounts must come from these (or shared ones). */
  readonly storage: readonly DatasetRef[];
  readonly description?: string;
  readonly deploy?: DeployTarget;
}

export interface StackSpec {
  readonly services: readonly ServiceDef[];
  /** Services the guest's init system runs (an LXC's daemons), each rendered to its own files. */
  readonly daemons?: readonly DaemonDef[];
  /** Named volumes the stack declares. */
  readonly volumes?: readonly string[];
  /** Networks the stack declares (beyond compose's default). */
  readonly networks?: Readonly<Record<string, { readonly internal?: boolean }>>;
  /** A k3s cluster on the host, for its services with `runtime: 'kubernetes'`. */
  readonly kubernetes?: KubernetesSpec;
}

export interface HostDef extends GuestSpec, StackSpec {}

export function defineVm<const G extends VmSpec>(spec: NoUnknownFields<G, VmSpec>): G & { readonly kind: 'vm' } {
  return { ...spec, kind: 'vm' };
}

export function defineLxc<const G extends LxcSpec>(spec: NoUnknownFields<G, LxcSpec>): G & { readonly kind: 'lxc' } {
  return { ...spec, kind: 'lxc' };
}

/** The host with its services: what a host package's index.ts exports. */
export function defineHost(guest: GuestSpec, stack: StackSpec): HostDef {
  return { ...guest, ...stack };
}
