import { derivedHwaddr } from './guest-facts.js';
import type { Lab } from './lab.js';
import { proxmoxDatasetPath, type LxcArch, type LxcHostDef, type LxcOsType, type StartupOrder } from './lxc.js';
import { prefixLength } from './network.js';
import { haOf } from './placement.js';

/** A dataset bind-mounted into the container (`mpN`), resolved to its path on the node. */
export interface LxcMountSetting {
  /** The dataset's folder on the node: <pool mountpoint>/<dataset>[/<sub>]. */
  readonly source: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** An HA container moves between nodes: its bind mounts are marked as on every node. */
  readonly shared: boolean;
  /** The model field it comes from, e.g. mounts[0]. */
  readonly field: string;
}

/** What a container's Proxmox definition says, with the defaults filled in and the derived values computed: what the renderer writes. */
export interface LxcSettings {
  readonly host: LxcHostDef;
  readonly name: string;
  readonly vmid: number;
  readonly arch: LxcArch;
  readonly cores: number;
  readonly memoryMiB: number;
  readonly swapMiB: number;
  readonly ostype: LxcOsType;
  readonly onboot: boolean;
  readonly unprivileged: boolean;
  readonly startup?: StartupOrder;
  /** Sorted, each once. */
  readonly tags: readonly string[];
  readonly nameservers: readonly string[];
  readonly bridge: string;
  readonly gateway: string;
  readonly address: string;
  readonly prefix: number;
  /** The facts' hwaddr, else Proxmox's prefix and the name's hash (derivedHwaddr). */
  readonly mac: string;
  /** The volume `pct create --rootfs <storage>:<GiB>` allocates, as the config then names it. */
  readonly rootfsVolume: string;
  readonly diskGiB: number;
  /** Sorted. */
  readonly rootfsMountOptions: readonly string[];
  readonly mounts: readonly LxcMountSetting[];
}

/** The volume `pct create --rootfs <storage>:<GiB>` allocates, as the config then names it. */
export function rootfsVolume(host: LxcHostDef): string {
  const { storage, storageType = 'zfspool' } = host.rootfs;
  const disk = `vm-${host.vmid}-disk-0`;
  switch (storageType) {
    case 'zfspool':
      return `${storage}:subvol-${host.vmid}-disk-0`;
    case 'lvmthin':
      return `${storage}:${disk}`;
    case 'dir':
      return `${storage}:${host.vmid}/${disk}.raw`;
  }
}

/** The container's settings with every default applied. */
export function lxcSettings(lab: Lab, host: LxcHostDef): LxcSettings {
  const plan = lab.facts.network;
  const shared = haOf(lab, host) !== undefined;
  return {
    host,
    name: host.name,
    vmid: host.vmid,
    arch: host.arch ?? 'amd64',
    cores: host.cores,
    memoryMiB: host.memoryMiB,
    swapMiB: host.swapMiB,
    ostype: host.ostype,
    onboot: host.onboot !== false,
    unprivileged: host.unprivileged !== false,
    ...(host.startup ? { startup: host.startup } : {}),
    tags: [...new Set(host.tags ?? [])].sort(),
    nameservers: host.nameservers ?? plan.nameservers,
    bridge: plan.bridge,
    gateway: plan.gateway,
    address: host.address,
    prefix: prefixLength(plan),
    mac: host.hwaddr ?? derivedHwaddr(host.name),
    rootfsVolume: rootfsVolume(host),
    diskGiB: host.diskGiB,
    rootfsMountOptions: [...(host.rootfs.mountOptions ?? [])].sort(),
    mounts: (host.mounts ?? []).map((m, i) => ({
      source: proxmoxDatasetPath(lab.facts.zfs, m.dataset.name, m.sub),
      target: m.target,
      readOnly: m.readOnly === true,
      shared,
      field: `mounts[${i}]`,
    })),
  };
}
