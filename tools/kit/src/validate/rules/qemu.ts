import { defineRule, hostPath } from '../rule.js';
import type { Findings } from '../../findings.js';
import type { Lab } from '../../model/lab.js';
import { isVmHost } from '../../model/qemu.js';
import { vmSettings, type VmSettings } from '../../model/vm-settings.js';

// Formats from pve-common's JSONSchema.pm and qemu-server's QemuServer.pm, as the VM definition uses them.
const VMID = /^[1-9][0-9]{2,8}$/;
const DNS_NAME = /^(([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)\.)*([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/;
const STORAGE_ID = /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i;
const TAG = /^[a-z0-9_][a-z0-9_\-+.]*$/i;
const DESCRIPTION_MAX = 8 * 1024;
const MEMORY_MIN_MIB = 16;

function isCount(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min;
}

function checkIds(lab: Lab, vm: VmSettings, findings: Findings): void {
  const at = (field: string) => hostPath(vm.host, field);
  if (!VMID.test(String(vm.vmid))) {
    findings.error('qemu-vmid-invalid', at('vmid'), `vmid ${vm.vmid} is not a Proxmox guest id: use a whole number from 100 to 999999999.`);
  }
  const twin = lab.hosts.find((h) => h !== vm.host && h.vmid === vm.vmid);
  if (twin) {
    findings.error('qemu-vmid-duplicate', at('vmid'), `vmid ${vm.vmid} is also ${twin.name}'s; every guest of the cluster needs its own id. Pick a free one.`);
  }
  if (!DNS_NAME.test(vm.name) || vm.name.length > 255) {
    findings.error('qemu-name-invalid', at('name'), `"${vm.name}" is not a DNS name, which Proxmox requires of a VM's name: letters, digits and '-', no '-' at either end of a label.`);
  }
}

function checkResources(lab: Lab, vm: VmSettings, findings: Findings): void {
  const at = (field: string) => hostPath(vm.host, field);
  const node = lab.facts.proxmox.nodes[vm.node];
  if (!node) {
    const known = Object.keys(lab.facts.proxmox.nodes).join(', ');
    findings.error('qemu-node-unknown', at('node'), `${vm.name} runs on node "${vm.node}", which the lab's Proxmox facts do not list (${known}). Add the node to packages/shared or pick one of these.`);
  }
  if (!isCount(vm.cores, 1) || (node && vm.cores > node.cores)) {
    findings.error('qemu-cores-invalid', at('cores'), `cores ${vm.cores}: a VM needs a whole number of cores from 1 to its node's ${node?.cores ?? '?'}.`);
  }
  if (!isCount(vm.memoryMiB, MEMORY_MIN_MIB) || (node && vm.memoryMiB > node.memoryMiB)) {
    findings.error('qemu-memory-invalid', at('memoryMiB'), `memoryMiB ${vm.memoryMiB}: qemu-server needs whole MiB, at least ${MEMORY_MIN_MIB}, and the node has ${node?.memoryMiB ?? '?'} MiB.`);
  }
  if (!isCount(vm.diskGiB, 1)) {
    findings.error('qemu-disk-invalid', at('diskGiB'), `diskGiB ${vm.diskGiB}: the system disk needs a whole number of GiB, at least 1.`);
  }
  for (const [field, id] of [['disk.storage', vm.storage], ['cloudInit.snippets', vm.snippets.storage]] as const) {
    if (!STORAGE_ID.test(id)) {
      findings.error('qemu-storage-invalid', at(field), `"${id}" is not a Proxmox storage id: at least 2 characters, a letter first, then letters, digits, '-', '_' or '.', not ending in '-', '_' or '.'.`);
    }
  }
}

function checkMeta(vm: VmSettings, findings: Findings): void {
  const at = (field: string) => hostPath(vm.host, field);
  (vm.host.tags ?? []).forEach((tag, i) => {
    if (!TAG.test(tag)) {
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

/** A VM's Proxmox definition: ids, node and resources, storage ids, tags, start-up order, description. */
export const qemuRule = defineRule({
  codes: [
    'qemu-vmid-invalid',
    'qemu-vmid-duplicate',
    'qemu-name-invalid',
    'qemu-node-unknown',
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
      checkIds(lab, vm, findings);
      checkResources(lab, vm, findings);
      checkMeta(vm, findings);
    }
  },
});
