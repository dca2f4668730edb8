import type { DatasetRef, ZfsLayout } from './zfs.js';
import type { GuestSpec, HostDef } from './host.js';

/** `arch` values pve-container accepts (src/PVE/LXC/Config.pm, $confdesc->{arch}). */
export type LxcArch = 'amd64' | 'i386' | 'arm64' | 'armhf' | 'riscv32' | 'riscv64';

/** `ostype` values pve-container accepts; the template's distribution. */
export type LxcOsType =
  | 'debian'
  | 'devuan'
  | 'ubuntu'
  | 'centos'
  | 'fedora'
  | 'opensuse'
  | 'archlinux'
  | 'alpine'
  | 'gentoo'
  | 'nixos'
  | 'unmanaged';

/** Extra mount options Proxmox allows on rootfs and mount points. */
export type LxcMountOption = 'discard' | 'lazytime' | 'noatime' | 'nodev' | 'noexec' | 'nosuid';

/** How a Proxmox storage names a container's root volume. */
export type ProxmoxStorageType = 'zfspool' | 'lvmthin' | 'dir';

export interface LxcRootfs {
  /** The Proxmox storage id the root disk is allocated on (e.g. `local-zfs`). Its size is the guest's `diskGiB`. */
  readonly storage: string;
  /** The storage's type, which fixes the volume name `pct create` gives the disk; default `zfspool`. */
  readonly storageType?: ProxmoxStorageType;
  readonly mountOptions?: readonly LxcMountOption[];
}

/** A dataset (or a folder of it) bind-mounted into the container as an `mpN` entry. */
export interface LxcBindMount {
  readonly dataset: DatasetRef;
  /** A folder below the dataset; the dataset's own root when absent. */
  readonly sub?: string;
  /** Where the container sees it. */
  readonly target: string;
  readonly readOnly?: boolean;
  /** The container user and group that own what is written here (host ids follow through the idmap). */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

/** A host device passed into the container (`devN`, pve-container 5.0.7 / Proxmox VE 8.1 and later). */
export interface LxcDevice {
  readonly path: string;
  /** Octal mode of the node inside the container, e.g. "0660" (Proxmox's default). */
  readonly mode?: string;
  readonly uid?: number;
  readonly gid?: number;
  readonly denyWrite?: boolean;
}

export interface LxcFeatures {
  readonly nesting?: boolean;
  readonly keyctl?: boolean;
  readonly fuse?: boolean;
  readonly mknod?: boolean;
  readonly forceRwSys?: boolean;
  /** File system types the container may mount. */
  readonly mount?: readonly string[];
}

/** Proxmox start-up order: lower `order` starts first; `up`/`down` are seconds to wait after start/stop. */
export interface StartupOrder {
  readonly order: number;
  readonly up?: number;
  readonly down?: number;
}

/** A raw `lxc.*` line, for what the typed options cannot say; only keys pve-container accepts pass. */
export interface RawLxcKey {
  readonly key: string;
  readonly value: string;
  readonly reason: string;
}

/** What an LXC container needs beyond a guest's common facts. */
export interface LxcOptions {
  /** The template `pct create` unpacks, e.g. `local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst`. */
  readonly ostemplate: string;
  readonly ostype: LxcOsType;
  readonly arch?: LxcArch;
  readonly swapMiB: number;
  readonly rootfs: LxcRootfs;
  /** Unprivileged (the default, and the only kind this kit renders without a reason). */
  readonly unprivileged?: boolean;
  readonly features?: LxcFeatures;
  /** Start with the Proxmox host; default true. */
  readonly onboot?: boolean;
  readonly startup?: StartupOrder;
  readonly tags?: readonly string[];
  readonly mounts?: readonly LxcBindMount[];
  readonly devices?: readonly LxcDevice[];
  /**
   * Container uids/gids that map to the same id on the host (through `lxc.idmap`), so that files
   * the container writes on a bind mount belong to the same owner as what VMs write there.
   * Every other id keeps Proxmox's offset: host id = 100000 + container id.
   */
  readonly passthroughIds?: { readonly uids?: readonly number[]; readonly gids?: readonly number[] };
  /** Resolvers for the container; default the network plan's. */
  readonly nameservers?: readonly string[];
  /** The MAC address of eth0; default one derived from the host name (stable across rebuilds). */
  readonly hwaddr?: string;
  readonly raw?: readonly RawLxcKey[];
}

export interface LxcSpec extends Omit<GuestSpec, 'kind'>, LxcOptions {}

/** A host that is an LXC container, with its container options. */
export type LxcHostDef = HostDef & LxcOptions & { readonly kind: 'lxc' };

export function isLxcHost(host: HostDef): host is LxcHostDef {
  return host.kind === 'lxc' && typeof (host as Partial<LxcOptions>).ostemplate === 'string';
}

/** Proxmox's fixed offset for unprivileged containers: `lxc.idmap = u 0 100000 65536`. */
export const UNPRIVILEGED_ID_OFFSET = 100000;
export const UNPRIVILEGED_ID_COUNT = 65536;

export interface IdMapRange {
  readonly kind: 'u' | 'g';
  readonly container: number;
  readonly host: number;
  readonly count: number;
}

/** The container's full id map: Proxmox's offset map with the passthrough ids cut out of it. */
export function idMapOf(host: LxcHostDef): IdMapRange[] {
  const ranges: IdMapRange[] = [];
  for (const kind of ['u', 'g'] as const) {
    const ids = [...new Set((kind === 'u' ? host.passthroughIds?.uids : host.passthroughIds?.gids) ?? [])].sort((a, b) => a - b);
    let next = 0;
    for (const id of ids) {
      if (id > next) ranges.push({ kind, container: next, host: UNPRIVILEGED_ID_OFFSET + next, count: id - next });
      ranges.push({ kind, container: id, host: id, count: 1 });
      next = id + 1;
    }
    if (next < UNPRIVILEGED_ID_COUNT) ranges.push({ kind, container: next, host: UNPRIVILEGED_ID_OFFSET + next, count: UNPRIVILEGED_ID_COUNT - next });
  }
  return ranges;
}

/** True when the container renders its own `lxc.idmap` lines (some ids pass through). */
export function hasCustomIdMap(host: LxcHostDef): boolean {
  return (host.passthroughIds?.uids?.length ?? 0) + (host.passthroughIds?.gids?.length ?? 0) > 0;
}

/** The host id a container uid (`u`) or gid (`g`) is stored as on a bind mount. */
export function hostIdOf(host: LxcHostDef, kind: 'u' | 'g', containerId: number): number | undefined {
  if (host.unprivileged === false) return containerId;
  const range = idMapOf(host).find((r) => r.kind === kind && containerId >= r.container && containerId < r.container + r.count);
  return range && range.host + (containerId - range.container);
}

/** Where the Proxmox host mounts a dataset: ZFS's default mountpoint, /<pool>/<dataset>. */
export function proxmoxDatasetPath(zfs: ZfsLayout, dataset: string, sub?: string): string {
  return ['', zfs.pool, dataset, sub].filter((p) => p !== undefined).join('/');
}

/**
 * The bind mount that shows a dataset (or a folder of it) in the container. Proxmox bind-mounts
 * with `mount -o bind`, not `rbind`: a child dataset is its own mount on the host and stays
 * hidden under its parent's bind mount, so only a mount of the same dataset counts.
 */
export function mountCovering(host: LxcHostDef, dataset: string, sub?: string): { mount: LxcBindMount; index: number; containerPath: string } | undefined {
  let best: { mount: LxcBindMount; index: number; containerPath: string; depth: number } | undefined;
  (host.mounts ?? []).forEach((mount, index) => {
    if (mount.dataset.name !== dataset) return;
    const have = mount.sub ?? '';
    const want = sub ?? '';
    if (have !== '' && want !== have && !want.startsWith(`${have}/`)) return;
    const rest = want === have ? '' : `/${have ? want.slice(have.length + 1) : want}`;
    if (!best || have.length > best.depth) best = { mount, index, containerPath: `${mount.target}${rest}`, depth: have.length };
  });
  return best && { mount: best.mount, index: best.index, containerPath: best.containerPath };
}
