import { defineRule, hostPath } from '../rule.js';
import type { Findings } from '../../findings.js';
import { isVmHost } from '../../model/qemu.js';
import { vmSettings, type VmSettings } from '../../model/vm-settings.js';
import { isPveDnsName, isPveStorageId, isPveTag } from '../pve-formats.js';

// Limits from qemu-server's QemuServer.pm ($confdesc: description maxLength, memory minimum).
const DESCRIPTION_MAX = 8 * 1024;
const MEMORY_MIN_MIB = 16;

function isCount(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min;
}

function checkName(vm: VmSettings, findings: Findings): void {
  if (!isPveDnsName(vm.name)) {
    findings.error('qemu-name-invalid', hostPath(vm.host, 'name'), `"${vm.name}" is not a DNS name, which Proxmox requires of a VM's name: letters, digits and '-', no '-' at either end of a label.`);
  }
}

// vmid range and uniqueness, the node and its capacity are the lab-wide rules' (addresses, resources).
function checkResources(vm: VmSettings, findings: Findings): void {
  const at = (field: string) => hostPath(vm.host, field);
  if (!isCount(vm.cores, 1)) {
    findings.error('qemu-cores-invalid', at('cores'), `cores ${vm.cores}: a VM needs a whole number of cores, at least 1.`);
  }
  if (!isCount(vm.memoryMiB, MEMORY_MIN_MIB)) {
    findings.error('qemu-memory-invalid', at('memoryMiB'), `memoryMiB ${vm.memoryMiB}: qemu-server takes whole MiB, at least ${MEMORY_MIN_MIB}.`);
  }
  if (!isCount(vm.diskGiB, 1)) {
    findings.error('qemu-disk-invalid', at('diskGiB'), `diskGiB ${vm.diskGiB}: the system disk needs a whole number of GiB, at least 1.`);
  }
  for (const [field, id] of [['disk.storage', vm.storage], ['cloudInit.snippets', vm.snippets.storage]] as const) {
    if (!isPveStorageId(id)) {
      findings.error('qemu-storage-invalid', at(field), `"${id}" is not a Proxmox storage id: at least 2 characters, a letter first, then letters, digits, '-', '_' or '.', not ending in '-', '_' or '.'.`);
    }
  }
}

function checkMeta(vm: VmSettings, findings: Findings): void {
  const at = (field: string) => hostPath(vm.host, field);
  (vm.host.tags ?? []).forEach((tag, i) => {
    if (!isPveTag(tag)) {
      findings.error('qemu-tag-invalid', at(`tags[${i}]`), `tag "${tag}" breaks Proxmox's tag format: start with a letter, digit or '_', then letters, digits, '_', '-', '+' or '.'.`);
    }
  });
  const startup = vm.startup;
  if (startup) {
    for (const key of ['order', 'up', 'down'] as const) {
      const value = startup[key];
      if (value !== undefined && !isCount(value, 0)) {
        findings.error('qemu-startup-invalid', at(`startup.${key}`), `startup.${key} ${value}: Proxmox start-up order takes whole numbers of 0 or more.`);
      }
    }
  }
  if ((vm.host.description ?? '').length > DESCRIPTION_MAX) {
    findings.error('qemu-description-too-long', at('description'), `the description has ${vm.host.description!.length} characters; Proxmox keeps at most ${DESCRIPTION_MAX}. Shorten it.`);
  }
}

/** A VM's Proxmox definition: name, resources, storage ids, tags, start-up order, description. */
export const qemuRule = defineRule({
  description: 'A VM\'s Proxmox definition as qm accepts it',
  docs: 'findings.md#vms-the-proxmox-definition-proxmoxvmidconf-and-cloud-init',
  codes: [
    'qemu-name-invalid',
    'qemu-cores-invalid',
    'qemu-memory-invalid',
    'qemu-disk-invalid',
    'qemu-storage-invalid',
    'qemu-tag-invalid',
    'qemu-startup-invalid',
    'qemu-description-too-long',
  ],
  check(lab, findings) {
    for (const host of lab.hosts) {
      if (!isVmHost(host)) continue;
      const vm = vmSettings(lab, host);
      checkName(vm, findings);
      checkResources(vm, findings);
      checkMeta(vm, findings);
    }
  },
});
