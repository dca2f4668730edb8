import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { isVmHost } from '../model/qemu.js';
import { vendorDataFile, vmSettings, type VmSettings } from '../model/vm-settings.js';
import type { Artifact } from './artifact.js';

/**
 * What the Proxmox node needs for a VM besides its configuration file. The system disk is
 * imported from a cloud image and the cloud-init drive allocated by `qm create` (create-only
 * parameters, never keys of the conf), then grown to the VM's size; the conf is installed over
 * what `qm create` wrote (it names the same volumes); the SSH keys go in from their secret.
 */
export interface PveQemuSetup {
  readonly vmid: number;
  /** Run (argv, no shell) when the vmid is free. */
  readonly create: readonly string[];
  /** Run after `create`: the imported image is the cloud image's size, not the VM's. */
  readonly resize: readonly string[];
  /**
   * Options set from a secret's decrypted file, by option: deploy runs `qm set <vmid> --<option> <file>`
   * (for sshkeys, qm URL-encodes the file into the configuration). Never written into dist/.
   */
  readonly secretOptions: Readonly<Record<string, string>>;
  /** Files on the node the conf refers to (the vendor data of `cicustom`), installed before the VM starts. */
  readonly snippets: readonly string[];
  /** The node's directory mappings the VM's virtiofs entries name (packages/pve renders them). */
  readonly directoryMappings: readonly string[];
}

/** `qm create` for a VM whose vmid is free: its disk imported from the cloud image, its cloud-init drive. */
export function qmCreateCommand(vm: VmSettings): string[] {
  const format = vm.storageType === 'dir' ? ',format=qcow2' : '';
  const disk = vm.importFrom ? `${vm.storage}:0,import-from=${vm.importFrom}${format}` : `${vm.storage}:${vm.diskGiB}${format}`;
  return ['qm', 'create', String(vm.vmid), '--name', vm.name, '--scsihw', 'virtio-scsi-single', '--scsi0', disk, '--ide2', `${vm.storage}:cloudinit`];
}

export function pveQemuSetup(vm: VmSettings): PveQemuSetup {
  return {
    vmid: vm.vmid,
    create: qmCreateCommand(vm),
    resize: ['qm', 'disk', 'resize', String(vm.vmid), 'scsi0', `${vm.diskGiB}G`],
    secretOptions: vm.sshKeys ? { sshkeys: vm.sshKeys.name } : {},
    snippets: [`${vm.snippets.path}/snippets/${vendorDataFile(vm)}`],
    directoryMappings: vm.shares.map((s) => s.mappingId),
  };
}

/** `proxmox/<vmid>.setup.json`: read by deploy on the node (create when absent, grow the disk, set the keys). */
export function renderPveQemuSetup(lab: Lab, host: HostDef): Artifact[] {
  if (!isVmHost(host)) return [];
  const vm = vmSettings(lab, host);
  return [{ path: `proxmox/${vm.vmid}.setup.json`, kind: 'pve-qemu-setup', content: `${JSON.stringify(pveQemuSetup(vm), null, 2)}\n` }];
}
