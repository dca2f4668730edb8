import type { Lab } from './lab.js';
import { prefixLength } from './network.js';
import type { SecretRef } from './secret.js';
import type { StartupOrder } from './lxc.js';
import { derivedHwaddr, directoryMappingId } from './guest-facts.js';
import {
  QEMU_DEFAULTS,
  type QemuOsType,
  type QemuStorageType,
  type SnippetStorage,
  type VmHostDef,
} from './qemu.js';
import { guestNode } from './placement.js';

/** A dataset the VM sees through virtiofs: the node's directory mapping and where the guest mounts it. */
export interface VirtiofsShare {
  readonly dataset: string;
  /** The dataset's name in ZFS, e.g. tank/services/media. */
  readonly fullName: string;
  /** The mapping id (and mount tag), e.g. tank-services-media. */
  readonly mappingId: string;
  /** Where the guest mounts it: <zfs.mountRoot>/<dataset>, the path compose bind mounts come from. */
  readonly guestPath: string;
  /** The model field it comes from, e.g. storage[0]. */
  readonly field: string;
}

/** Everything a VM's Proxmox definition says, with the defaults filled in: what renderers write and rules check. */
export interface VmSettings {
  readonly host: VmHostDef;
  readonly name: string;
  readonly vmid: number;
  readonly node: string;
  readonly cores: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  readonly onboot: boolean;
  readonly startup?: StartupOrder;
  readonly ostype: QemuOsType;
  readonly bios: 'seabios' | 'ovmf';
  readonly machine: string;
  readonly cpu: string;
  /** Sorted, each once: the lab's name and the host's own. */
  readonly tags: readonly string[];
  readonly storage: string;
  readonly storageType: QemuStorageType;
  readonly importFrom?: string;
  readonly mac: string;
  readonly bridge: string;
  readonly address: string;
  readonly prefix: number;
  readonly gateway: string;
  readonly nameservers: readonly string[];
  readonly searchdomain: string;
  readonly ciuser?: string;
  readonly sshKeys?: SecretRef;
  /** Sorted, each once, qemu-guest-agent included. */
  readonly packages: readonly string[];
  readonly snippets: SnippetStorage;
  readonly shares: readonly VirtiofsShare[];
}

/** The VM's settings with every default applied. */
export function vmSettings(lab: Lab, host: VmHostDef): VmSettings {
  const { facts } = lab;
  const ci = host.cloudInit ?? {};
  return {
    host,
    name: host.name,
    vmid: host.vmid,
    node: guestNode(facts, host),
    cores: host.cores,
    memoryMiB: host.memoryMiB,
    diskGiB: host.diskGiB,
    onboot: host.onboot ?? QEMU_DEFAULTS.onboot,
    ...(host.startup ? { startup: host.startup } : {}),
    ostype: host.ostype ?? QEMU_DEFAULTS.ostype,
    bios: host.bios ?? QEMU_DEFAULTS.bios,
    machine: host.machine ?? QEMU_DEFAULTS.machine,
    cpu: host.cpu ?? QEMU_DEFAULTS.cpu,
    tags: [...new Set([facts.name, ...(host.tags ?? [])])].sort(),
    storage: host.disk?.storage ?? QEMU_DEFAULTS.storage,
    storageType: host.disk?.storageType ?? QEMU_DEFAULTS.storageType,
    ...(host.disk?.importFrom ? { importFrom: host.disk.importFrom } : {}),
    // Derived as a container's is: Proxmox's prefix and the name's hash (cloud-init matches on it).
    mac: host.mac ?? derivedHwaddr(host.name),
    bridge: facts.network.bridge,
    address: host.address,
    prefix: prefixLength(facts.network),
    gateway: facts.network.gateway,
    nameservers: facts.network.nameservers,
    searchdomain: facts.domain,
    ...(ci.user ? { ciuser: ci.user } : {}),
    ...(ci.sshKeys ? { sshKeys: ci.sshKeys } : {}),
    packages: [...new Set([...QEMU_DEFAULTS.packages, ...(ci.packages ?? [])])].sort(),
    snippets: ci.snippets ?? QEMU_DEFAULTS.snippets,
    shares: host.storage.map((ref, i) => ({
      dataset: ref.name,
      fullName: `${ref.pool}/${ref.name}`,
      // The node's directory mapping (packages/pve renders directory.cfg), also the mount tag.
      mappingId: directoryMappingId(ref),
      guestPath: `${facts.zfs.mountRoot}/${ref.name}`,
      field: `storage[${i}]`,
    })),
  };
}

/** The volume id of one of the VM's volumes (`disk-0` the system disk, `disk-1` EFI vars, `cloudinit`) on its storage. */
export function vmVolume(vm: VmSettings, name: string): string {
  return vm.storageType === 'dir' ? `${vm.storage}:${vm.vmid}/vm-${vm.vmid}-${name}.qcow2` : `${vm.storage}:vm-${vm.vmid}-${name}`;
}

/** The file name of the VM's cloud-init vendor data in the snippets storage. */
export function vendorDataFile(vm: VmSettings): string {
  return `${vm.name}-vendor.yaml`;
}
