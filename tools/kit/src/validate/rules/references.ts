import ipaddr from 'ipaddr.js';
import { defineRule, servicePath } from '../rule.js';
import type { Findings } from '../../findings.js';
import type { HostDef } from '../../model/host.js';
import type { Lab } from '../../model/lab.js';
import type { ServiceDef } from '../../model/service.js';
import { declaredPorts, namespaceOwner } from '../../model/routes.js';
import { serviceStrings } from '../service-strings.js';
import { portRange } from './ports.js';

/** IPv4 addresses written out in a string, not followed by a prefix length (a CIDR names a network). */
const IPV4 = /(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.]|\/\d)/g;

/** Ports: metrics against what the service serves on, published targets against what its namespace listens on. */
function checkPorts(host: HostDef, findings: Findings): void {
  const listening = new Map<ServiceDef, Set<number>>();
  for (const s of host.services) {
    const owner = namespaceOwner(host, s);
    const ports = listening.get(owner) ?? new Set<number>();
    for (const p of s.listen ?? []) ports.add(p);
    listening.set(owner, ports);
  }
  for (const service of host.services) {
    if (service.metrics && !declaredPorts(host, service).includes(service.metrics.port)) {
      findings.error('metrics-port-undeclared', servicePath(host, service, 'metrics.port'), `${service.name}'s metrics are on port ${service.metrics.port}, which it does not declare (listen: [${(service.listen ?? []).join(', ')}]); the scrape would find nothing. Point metrics at a port the service listens on, or add it to listen.`);
    }
    // A gateway's ports are the vpn rule's (gateway-port-unbound); the host network publishes nothing.
    const heard = listening.get(service);
    if (!heard || heard.size === 0 || service.role === 'vpn-gateway' || service.networkMode === 'host') continue;
    (service.ports ?? []).forEach((port, i) => {
      const range = portRange(port.target);
      if (!range) return; // port-invalid
      for (let p = range[0]; p <= range[1]; p++) {
        if (heard.has(p)) continue;
        findings.error('port-target-unbound', servicePath(host, service, `ports[${i}]`), `${service.name} publishes container port ${p}, but nothing in its network namespace listens on it (listen: [${[...heard].join(', ')}]); the port would lead nowhere. Publish the port the service listens on, or add it to listen.`);
        break;
      }
    });
  }
}

/** Every address of the lab's subnet written out in a service is one the network plan gives to something. */
function checkAddresses(lab: Lab, findings: Findings): void {
  const plan = lab.facts.network;
  if (!ipaddr.isValid(plan.subnet.split('/')[0] ?? '')) return; // range-invalid
  const subnet = ipaddr.parseCIDR(plan.subnet);
  const known = new Set([plan.gateway, ...Object.values(plan.addresses).map((a) => a.address)]);
  for (const host of lab.hosts) {
    for (const service of host.services) {
      const strings = [
        ...serviceStrings(service),
        ...(service.dns ?? []).map((value, i) => ({ field: `dns[${i}]`, value })),
        ...(service.extraHosts ?? []).map((value, i) => ({ field: `extraHosts[${i}]`, value })),
      ];
      for (const { field, value } of strings) {
        if (!/\d\.\d+\.\d/.test(value)) continue; // no dotted address in it
        for (const m of value.matchAll(IPV4)) {
          const address = m[1]!;
          if (known.has(address) || !ipaddr.IPv4.isValidFourPartDecimal(address)) continue;
          const ip = ipaddr.parse(address);
          if (ip.kind() !== subnet[0].kind() || !ip.match(subnet)) continue;
          findings.error('address-unknown', servicePath(host, service, field), `${address} is in the lab's subnet ${plan.subnet} but the network plan gives it to nothing; a hand-written address goes stale when the plan changes. Use network.addressOf('<name>') from @homelab/shared (add the device to the plan first if it is new).`);
        }
      }
    }
  }
}

/**
 * References checked against what declares them: a service's metrics port against the ports it
 * says it serves on, a published port against what its namespace listens on (when it says so),
 * and every lab address written out in a service (environment, labels, command, healthcheck,
 * dns, extra hosts) against the network plan, which names every address. (A healthcheck's port
 * is the healthcheck rule's: healthcheck-port-not-listened.)
 */
export const referencesRule = defineRule({
  description: 'References checked against what declares them: metrics ports, port targets, addresses',
  docs: 'findings.md#secrets-in-disguise-and-references-against-what-declares-them',
  codes: ['metrics-port-undeclared', 'port-target-unbound', 'address-unknown'],
  check(lab, findings) {
    for (const host of lab.hosts) checkPorts(host, findings);
    checkAddresses(lab, findings);
  },
});
