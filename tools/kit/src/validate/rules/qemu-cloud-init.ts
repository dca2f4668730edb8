import { defineRule, hostPath } from '../rule.js';
import type { Findings } from '../../findings.js';
import { MAX_VIRTIOFS, isVmHost } from '../../model/qemu.js';
import { isValidSecretName } from '../../model/secret.js';
import { vmSettings, type VmSettings } from '../../model/vm-settings.js';

// Debian's adduser NAME_REGEX: the user cloud-init creates must be one adduser accepts.
const USER_NAME = /^[a-z][-a-z0-9_]*$/;
// A Debian package name (Debian Policy 5.6.1).
const PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;

function checkShares(vm: VmSettings, findings: Findings): void {
  if (vm.shares.length > MAX_VIRTIOFS) {
    findings.error('qemu-virtiofs-limit', hostPath(vm.host, 'storage'), `${vm.name} shares ${vm.shares.length} datasets; qemu-server allows ${MAX_VIRTIOFS} virtiofs devices per VM. Share a parent dataset instead of its children.`);
  }
  const seen = new Set<string>();
  for (const share of vm.shares) {
    const at = hostPath(vm.host, share.field);
    // A mapping id Proxmox refuses is the storage chain's finding (directory-mapping-id-invalid).
    if (seen.has(share.mappingId)) {
      findings.error('qemu-virtiofs-invalid', at, `${share.dataset} is shared twice with ${vm.name}; two virtiofs devices cannot carry one mount tag. List it once.`);
    }
    seen.add(share.mappingId);
  }
}

function checkCloudInit(vm: VmSettings, findings: Findings): void {
  const at = (field: string) => hostPath(vm.host, field);
  if (!vm.sshKeys) {
    findings.error('qemu-ssh-keys-missing', at('cloudInit.sshKeys'), `${vm.name} gets no SSH keys, so deploy (key authentication only) cannot reach it. Set cloudInit.sshKeys: secret('<name>') holding the authorized_keys.`);
  } else if (!isValidSecretName(vm.sshKeys.name)) {
    findings.error('secret-name-invalid', at('cloudInit.sshKeys'), `"${vm.sshKeys.name}" is not a secret name (lowercase letters, digits, '.', '_', '-').`);
  }
  if (vm.ciuser !== undefined && (!USER_NAME.test(vm.ciuser) || vm.ciuser.length > 32)) {
    findings.error('qemu-ciuser-invalid', at('cloudInit.user'), `"${vm.ciuser}" is not a user name the guest can create: lowercase letters, digits, '-' and '_', a letter first, at most 32 characters.`);
  }
  (vm.host.cloudInit?.packages ?? []).forEach((name, i) => {
    if (!PACKAGE.test(name)) {
      findings.error('qemu-package-invalid', at(`cloudInit.packages[${i}]`), `"${name}" is not a Debian package name (lowercase letters, digits, '+', '-', '.').`);
    }
  });
  if (!vm.importFrom) {
    findings.warning('qemu-image-missing', at('disk.importFrom'), `${vm.name} names no cloud image to import its system disk from; deploy can only create it empty. Set disk.importFrom (e.g. local:import/debian-13-genericcloud-amd64.qcow2).`);
  }
}

/** What a VM gets on first boot: its SSH keys, user and packages, and the datasets it sees through virtiofs. */
export const qemuCloudInitRule = defineRule({
  description: 'What a VM gets on first boot',
  docs: 'findings.md#vms-the-proxmox-definition-proxmoxvmidconf-and-cloud-init',
  codes: ['qemu-virtiofs-limit', 'qemu-virtiofs-invalid', 'qemu-ssh-keys-missing', 'qemu-ciuser-invalid', 'qemu-package-invalid', 'qemu-image-missing'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      if (!isVmHost(host)) continue;
      const vm = vmSettings(lab, host);
      checkShares(vm, findings);
      checkCloudInit(vm, findings);
    }
  },
});
