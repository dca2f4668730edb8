import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { isVmHost } from '../model/qemu.js';
import { vendorDataFile, vmSettings, vmVolume, type VmSettings } from '../model/vm-settings.js';
import type { Artifact } from './artifact.js';
import { GENERATED } from './generated.js';
import { encodeDescriptionLine, startupValue, type PveConfEntry } from './pve-lxc.js';

export interface QemuConf {
  /** The description, one entry per `#` line (not yet encoded). */
  readonly description: readonly string[];
  /** Options sorted by key, as qemu-server's write_vm_config writes them, each with its model field. */
  readonly options: readonly PveConfEntry[];
}

/** The options of the VM's configuration file, each with the model field it comes from. */
export function qemuConf(vm: VmSettings): QemuConf {
  const entries: PveConfEntry[] = [
    { key: 'agent', value: '1', field: 'cloudInit.packages' },
    { key: 'bios', value: vm.bios, field: 'bios' },
    { key: 'boot', value: 'order=scsi0', field: 'disk' },
    { key: 'cicustom', value: `vendor=${vm.snippets.storage}:snippets/${vendorDataFile(vm)}`, field: 'cloudInit.snippets' },
    { key: 'cores', value: String(vm.cores), field: 'cores' },
    { key: 'cpu', value: vm.cpu, field: 'cpu' },
    { key: 'ide2', value: `${vmVolume(vm, 'cloudinit')},media=cdrom`, field: 'disk.storage' },
    { key: 'ipconfig0', value: `ip=${vm.address}/${vm.prefix},gw=${vm.gateway}`, field: 'address' },
    { key: 'machine', value: vm.machine, field: 'machine' },
    { key: 'memory', value: String(vm.memoryMiB), field: 'memoryMiB' },
    { key: 'name', value: vm.name, field: 'name' },
    { key: 'nameserver', value: vm.nameservers.join(' '), field: 'address' },
    { key: 'net0', value: `virtio=${vm.mac},bridge=${vm.bridge},firewall=1`, field: 'mac' },
    { key: 'onboot', value: vm.onboot ? '1' : '0', field: 'onboot' },
    { key: 'ostype', value: vm.ostype, field: 'ostype' },
    { key: 'scsi0', value: `${vmVolume(vm, 'disk-0')},discard=on,iothread=1,size=${vm.diskGiB}G,ssd=1`, field: 'diskGiB' },
    { key: 'scsihw', value: 'virtio-scsi-single', field: 'disk' },
    { key: 'searchdomain', value: vm.searchdomain, field: 'address' },
    // A serial console: cloud images log their boot there, and `qm terminal` reaches it.
    { key: 'serial0', value: 'socket', field: 'ostype' },
    { key: 'sockets', value: '1', field: 'cores' },
    { key: 'tags', value: vm.tags.join(';'), field: 'tags' },
    { key: 'vga', value: 'serial0', field: 'ostype' },
  ];
  if (vm.bios === 'ovmf') {
    entries.push({ key: 'efidisk0', value: `${vmVolume(vm, 'disk-1')},efitype=4m,pre-enrolled-keys=0,size=1M`, field: 'bios' });
  }
  if (vm.ciuser) entries.push({ key: 'ciuser', value: vm.ciuser, field: 'cloudInit.user' });
  if (vm.startup) entries.push({ key: 'startup', value: startupValue(vm.startup), field: 'startup' });
  vm.shares.forEach((share, i) => entries.push({ key: `virtiofs${i}`, value: share.mappingId, field: share.field }));
  const description = [...GENERATED(vm.host), ...(vm.host.description ? vm.host.description.split('\n') : [])];
  return { description, options: entries.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}

/** The text of /etc/pve/qemu-server/<vmid>.conf: description as `#` lines, then the options. */
export function qemuConfText(conf: QemuConf): string {
  const lines = [...conf.description.map((l) => `#${encodeDescriptionLine(l)}`), ...conf.options.map((o) => `${o.key}: ${o.value}`)];
  return `${lines.join('\n')}\n`;
}

/**
 * A VM's Proxmox definition, installed on its node. No mode or owner: /etc/pve is pmxcfs, which
 * sets them itself. SSH keys are set from their secret at deploy (proxmox/<vmid>.setup.json).
 */
export function renderPveQemu(lab: Lab, host: HostDef): Artifact[] {
  if (!isVmHost(host)) return [];
  const vm = vmSettings(lab, host);
  return [
    {
      path: `proxmox/${vm.vmid}.conf`,
      kind: 'pve-qemu',
      content: qemuConfText(qemuConf(vm)),
      install: { path: `/etc/pve/qemu-server/${vm.vmid}.conf`, on: 'proxmox-host' },
    },
  ];
}
