import ipaddr from 'ipaddr.js';
import { defineRule, eachService, servicePath } from '../rule.js';
import { declaredPorts, namespaceOwner } from '../../model/routes.js';
import { portRange } from './ports.js';
import { serviceStrings } from '../service-strings.js';

/** IPv4 addresses written out in a string, not followed by a prefix length (a CIDR names a network). */
const IPV4 = /(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.]|\/\d)/g;

/**
 * References checked against what declares them: a service's metrics port against the ports it
 * says it serves on, a published port against what its namespace listens on (when it says; a
 * VPN gateway's ports are the vpn rule's: gateway-port-unbound), and every lab address written out in a service (environment, labels,
 * command, healthcheck, dns, extra hosts) against the network plan, which names every address.
 * (A healthcheck's port is the healthcheck rule's: healthcheck-port-not-listened.)
 */
export const referencesRule = defineRule({
  codes: ['metrics-port-undeclared', 'port-target-unbound', 'address-unknown'],
  check(lab, findings) {
    const plan = lab.facts.network;
    const subnet = ipaddr.isValid(plan.subnet.split('/')[0] ?? '') ? ipaddr.parseCIDR(plan.subnet) : undefined;
    const known = new Set([plan.gateway, ...Object.values(plan.addresses).map((a) => a.address)]);
    eachService(lab, (host, service) => {
      if (service.metrics && !declaredPorts(host, service).includes(service.metrics.port)) {
        findings.error('metrics-port-undeclared', servicePath(host, service, 'metrics.port'), `${service.name}'s metrics are on port ${service.metrics.port}, which it does not declare (listen: [${(service.listen ?? []).join(', ')}]); the scrape would find nothing. Point metrics at a port the service listens on, or add it to listen.`);
      }
      if (service.role !== 'vpn-gateway' && namespaceOwner(host, service) === service && service.networkMode !== 'host') {
        const listening = new Set(host.services.filter((s) => namespaceOwner(host, s) === service).flatMap((s) => s.listen ?? []));
        (service.ports ?? []).forEach((port, i) => {
          const range = portRange(port.target);
          if (listening.size === 0 || !range) return; // nothing said about listening; port-invalid for bad numbers
          for (let p = range[0]; p <= range[1]; p++) {
            if (listening.has(p)) continue;
            findings.error('port-target-unbound', servicePath(host, service, `ports[${i}]`), `${service.name} publishes container port ${p}, but nothing in its network namespace listens on it (listen: [${[...listening].join(', ')}]); the port would lead nowhere. Publish the port the service listens on, or add it to listen.`);
            break;
          }
        });
      }
      if (!subnet) return;
      const strings = [
        ...serviceStrings(service),
        ...(service.dns ?? []).map((value, i) => ({ field: `dns[${i}]`, value })),
        ...(service.extraHosts ?? []).map((value, i) => ({ field: `extraHosts[${i}]`, value })),
      ];
      for (const { field, value } of strings) {
        if (!/\d\.\d+\.\d/.test(value)) continue; // no dotted address in it
        for (const m of value.matchAll(IPV4)) {
          const address = m[1]!;
          if (!ipaddr.IPv4.isValidFourPartDecimal(address) || known.has(address)) continue;
          const ip = ipaddr.parse(address);
          if (ip.kind() !== subnet[0].kind() || !ip.match(subnet)) continue;
          findings.error('address-unknown', servicePath(host, service, field), `${address} is in the lab's subnet ${plan.subnet} but the network plan gives it to nothing; a hand-written address goes stale when the plan changes. Use network.addressOf('<name>') from @homelab/shared (add the device to the plan first if it is new).`);
        }
      }
    });
  },
});
