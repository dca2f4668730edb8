import { defineRule, servicePath } from '../rule.js';
import { namespaceOwner } from '../../model/routes.js';
import type { HostDef } from '../../model/host.js';
import type { ServiceDef } from '../../model/service.js';

/** Ports in `owner`'s namespace that the lab itself reaches: route targets and metrics endpoints. */
function routedPorts(host: HostDef, owner: ServiceDef): Set<string> {
  const ports = new Set<string>();
  for (const s of host.services) {
    if (namespaceOwner(host, s) !== owner) continue;
    if (s.route) ports.add(String(s.route.port));
    if (s.metrics) ports.add(String(s.metrics.port));
  }
  return ports;
}

/**
 * What reaches the LAN: a published port needs a declared reason or a route through the reverse
 * proxy; only the reverse proxy publishes 80/443; binding every address is a warning.
 */
export const exposureRule = defineRule({
  codes: ['port-exposed-without-reason', 'port-reserved-for-proxy', 'port-binds-all'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        const routed = routedPorts(host, service);
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
