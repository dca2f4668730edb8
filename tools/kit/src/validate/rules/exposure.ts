import { defineRule, servicePath } from '../rule.js';
import { namespaceOwner } from '../../model/routes.js';
import type { HostDef } from '../../model/host.js';
import type { ServiceDef } from '../../model/service.js';

/** Ports the lab itself reaches (route targets and metrics endpoints), by the namespace they are in. */
function routedPorts(host: HostDef): Map<ServiceDef, Set<string>> {
  const byOwner = new Map<ServiceDef, Set<string>>();
  for (const s of host.services) {
    const owner = namespaceOwner(host, s);
    const ports = byOwner.get(owner) ?? new Set<string>();
    byOwner.set(owner, ports);
    if (s.route) ports.add(String(s.route.port));
    if (s.metrics) ports.add(String(s.metrics.port));
  }
  return byOwner;
}

/**
 * What reaches the LAN: a published port needs a declared reason or a route through the reverse
 * proxy; only the reverse proxy publishes 80/443; binding every address is a warning.
 */
export const exposureRule = defineRule({
  description: 'What reaches the LAN is declared with a reason, bound to an address, and off the proxy\'s ports',
  docs: 'findings.md#across-the-lab',
  codes: ['port-exposed-without-reason', 'port-reserved-for-proxy', 'port-binds-all'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      const routedByOwner = routedPorts(host);
      for (const service of host.services) {
        const routed = routedByOwner.get(service) ?? new Set<string>();
        (service.ports ?? []).forEach((port, i) => {
          const path = servicePath(host, service, `ports[${i}]`);
          const bind = port.bind ?? 'lan';
          if (bind === 'loopback') return;
          const published = String(port.published ?? port.target);
          if ((published === '80' || published === '443') && service.role !== 'reverse-proxy') {
            findings.error('port-reserved-for-proxy', path, `${service.name} publishes ${published} on ${host.name}; only the reverse proxy serves 80/443. Give the service a route instead.`);
          }
          if (!port.reason?.trim() && !routed.has(String(port.target)) && service.role !== 'reverse-proxy') {
            findings.error('port-exposed-without-reason', path, `${service.name} publishes ${published}/${port.protocol ?? 'tcp'} on the LAN without a reason; give it a route (through the reverse proxy) or a metrics declaration, or state why clients need it directly (reason: '...').`);
          }
          if (bind === 'all') {
            findings.warning('port-binds-all', path, `${service.name} binds ${published} on every address of ${host.name}, including Docker's own networks; bind the LAN address (the default) unless you mean it.`);
          }
        });
      }
    }
  },
});
