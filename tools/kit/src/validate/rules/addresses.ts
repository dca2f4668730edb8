import ipaddr from 'ipaddr.js';
import { defineRule, hostPath } from '../rule.js';
import type { Findings } from '../../findings.js';
import type { NetworkPlan } from '../../model/network.js';

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

function parse(address: string): Parsed | undefined {
  return ipaddr.isValid(address) ? ipaddr.parse(address) : undefined;
}

function toNumber(ip: Parsed): bigint {
  return ip.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

function inRange(ip: Parsed, first: Parsed, last: Parsed): boolean {
  const n = toNumber(ip);
  return n >= toNumber(first) && n <= toNumber(last);
}

/** Checks one address against the plan; returns false when it is not an address at all. */
function checkAddress(plan: NetworkPlan, address: string, klass: string | undefined, path: string, findings: Findings): void {
  const ip = parse(address);
  if (!ip) {
    findings.error('address-invalid', path, `"${address}" is not an IP address.`);
    return;
  }
  const subnet = ipaddr.parseCIDR(plan.subnet);
  if (ip.kind() !== subnet[0].kind() || !ip.match(subnet)) {
    findings.error('address-outside-subnet', path, `${address} is outside the lab's subnet ${plan.subnet}; pick an address from the network plan.`);
    return;
  }
  const range = klass === undefined ? undefined : (plan.ranges as Record<string, { first: string; last: string }>)[klass];
  if (range) {
    const first = parse(range.first);
    const last = parse(range.last);
    if (first && last && !inRange(ip, first, last)) {
      findings.error('address-outside-range', path, `${address} is outside the ${klass} range ${range.first}-${range.last} of the network plan; use a free address of that range.`);
    }
  }
}

/** Addresses unique and where the plan puts their device class; Proxmox guest ids unique. */
export const addressesRule = defineRule({
  description: 'Addresses unique and where the plan puts their device class',
  docs: 'findings.md#across-the-lab',
  codes: ['address-invalid', 'address-outside-subnet', 'address-outside-range', 'address-is-gateway', 'address-duplicate', 'address-not-in-plan', 'range-invalid', 'vmid-duplicate', 'vmid-invalid'],
  check(lab, findings) {
    const plan = lab.facts.network;
    const subnet = ipaddr.isValidCIDR(plan.subnet) ? ipaddr.parseCIDR(plan.subnet) : undefined;
    if (!subnet) {
      findings.error('range-invalid', 'shared/network/subnet', `subnet "${plan.subnet}" is not a CIDR (e.g. 192.168.0.0/24).`);
      return;
    }
    for (const [name, range] of Object.entries(plan.ranges as Record<string, { first: string; last: string }>)) {
      const first = parse(range.first);
      const last = parse(range.last);
      if (!first || !last || !first.match(subnet) || !last.match(subnet) || toNumber(first) > toNumber(last)) {
        findings.error('range-invalid', `shared/network/ranges.${name}`, `range ${range.first}-${range.last} must be two addresses of ${plan.subnet}, first <= last.`);
      }
    }
    const holders = new Map<string, string>();
    const claim = (address: string, who: string, path: string) => {
      const key = parse(address)?.toNormalizedString() ?? address;
      const other = holders.get(key);
      if (other && other !== who) {
        findings.error('address-duplicate', path, `${address} is used by both ${other} and ${who}; every device needs its own address.`);
      } else holders.set(key, who);
    };
    for (const [name, entry] of Object.entries(plan.addresses as Record<string, { class: string; address: string }>)) {
      const path = `shared/network/addresses.${name}`;
      checkAddress(plan, entry.address, entry.class, path, findings);
      if (entry.class !== 'router' && entry.address === plan.gateway) {
        findings.error('address-is-gateway', path, `${name} has the gateway's address ${plan.gateway}.`);
      }
      claim(entry.address, name, path);
    }
    const vmids = new Map<number, string>();
    for (const host of lab.hosts) {
      const path = hostPath(host, 'address');
      const planned = (plan.addresses as Record<string, { class: string; address: string } | undefined>)[host.name];
      if (!planned) {
        findings.error('address-not-in-plan', path, `${host.name} has no static address in the network plan; add it to packages/shared/src/network.ts and take it with network.addressOf('${host.name}').`);
        checkAddress(plan, host.address, host.kind, path, findings);
      } else if (planned.address !== host.address) {
        findings.error('address-not-in-plan', path, `${host.name} uses ${host.address} but the network plan gives it ${planned.address}; the plan is the single truth: use network.addressOf('${host.name}').`);
      }
      if (host.address === plan.gateway) findings.error('address-is-gateway', path, `${host.name} has the gateway's address ${plan.gateway}.`);
      claim(host.address, host.name, path);
      if (!Number.isInteger(host.vmid) || host.vmid < 100 || host.vmid > 999_999_999) {
        findings.error('vmid-invalid', hostPath(host, 'vmid'), `vmid ${host.vmid} is outside Proxmox's range 100-999999999.`);
      }
      const other = vmids.get(host.vmid);
      if (other) findings.error('vmid-duplicate', hostPath(host, 'vmid'), `vmid ${host.vmid} is already ${other}'s; Proxmox guest ids are unique across the cluster.`);
      else vmids.set(host.vmid, host.name);
    }
  },
});
