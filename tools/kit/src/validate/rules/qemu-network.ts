import ipaddr from 'ipaddr.js';
import { defineRule, hostPath } from '../rule.js';
import type { Findings } from '../../findings.js';
import type { Lab } from '../../model/lab.js';
import { isVmHost } from '../../model/qemu.js';
import { vmSettings, type VmSettings } from '../../model/vm-settings.js';
import { isPveIfaceName, isPveUnicastMac } from '../pve-formats.js';

function ipv4(value: string): ipaddr.IPv4 | undefined {
  return ipaddr.IPv4.isValidFourPartDecimal(value) ? ipaddr.IPv4.parse(value) : undefined;
}

/**
 * What makes the plan's address unusable as `ipconfig0`, or undefined. An address that is not IPv4,
 * outside the subnet or the gateway's is the addresses rule's finding; this adds what only the
 * rendered ip=<address>/<prefix> shows.
 */
function ipconfigProblem(lab: Lab, vm: VmSettings): string | undefined {
  const { subnet } = lab.facts.network;
  if (!ipaddr.IPv4.isValidCIDR(subnet)) return undefined;
  const [net, bits] = ipaddr.IPv4.parseCIDR(subnet);
  if (bits < 8 || bits > 32) return `a /${bits} prefix is outside the 8 to 32 Proxmox accepts for ip=`;
  const address = ipv4(vm.address);
  if (!address || !address.match(net, bits)) return undefined;
  const edges = [ipaddr.IPv4.networkAddressFromCIDR(subnet).toString(), ipaddr.IPv4.broadcastAddressFromCIDR(subnet).toString()];
  if (bits < 31 && edges.includes(vm.address)) return `${vm.address} is the subnet's network or broadcast address`;
  return undefined;
}

function checkNetwork(lab: Lab, vm: VmSettings, macs: Map<string, string>, findings: Findings): void {
  const problem = ipconfigProblem(lab, vm);
  if (problem) {
    findings.error('qemu-ipconfig-invalid', hostPath(vm.host, 'address'), `ipconfig0 cannot be written: ${problem}. Give ${vm.name} a static address of the plan's subnet in packages/shared.`);
  }
  const mac = vm.mac.toUpperCase();
  if (!isPveUnicastMac(mac)) {
    findings.error('qemu-mac-invalid', hostPath(vm.host, 'mac'), `"${vm.mac}" is not a unicast MAC address (XX:XX:XX:XX:XX:XX with an even first byte). Fix it, or leave mac out for one derived from the name.`);
  }
  const other = macs.get(mac);
  if (other) {
    findings.error('qemu-mac-duplicate', hostPath(vm.host, 'mac'), `${vm.name} and ${other} both use the MAC address ${mac} on ${vm.bridge}; give one of them another.`);
  } else macs.set(mac, vm.name);
}

/** A VM's network device and the static `ipconfig0` it gets from the network plan. */
export const qemuNetworkRule = defineRule({
  description: 'A VM\'s network device and the static `ipconfig0` it gets from the network plan',
  docs: 'findings.md#vms-the-proxmox-definition-proxmoxvmidconf-and-cloud-init',
  codes: ['qemu-ipconfig-invalid', 'qemu-bridge-invalid', 'qemu-mac-invalid', 'qemu-mac-duplicate'],
  check(lab, findings) {
    const macs = new Map<string, string>();
    const vms = lab.hosts.filter(isVmHost);
    for (const host of vms) checkNetwork(lab, vmSettings(lab, host), macs, findings);
    const { bridge } = lab.facts.network;
    if (vms.length > 0 && !isPveIfaceName(bridge)) {
      findings.error('qemu-bridge-invalid', 'shared/network/bridge', `the network plan's bridge "${bridge}" is not a Proxmox bridge id (letters, digits, '-', '_', '.'); every VM's net0 names it.`);
    }
  },
});
