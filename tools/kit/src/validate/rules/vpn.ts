import ipaddr from 'ipaddr.js';
import { defineRule, servicePath } from '../rule.js';
import { namespaceOwner } from '../../model/routes.js';
import { portRange } from './ports.js';

const CONFINED = new Set(['download', 'indexer']);

/**
 * The entries of a gateway's FIREWALL_OUTBOUND_SUBNETS that are networks, not one address. Gluetun
 * lets its namespace open connections outside the tunnel to each (firewall and routes: gluetun-wiki
 * setup/options/firewall.md; internal/firewall/enable.go allowOutboundSubnets, read 2026-12-07).
 */
export function outboundNetworks(value: string): string[] {
  return value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '')
    .filter((e) => {
      if (!e.includes('/')) return false;
      if (!ipaddr.isValidCIDR(e)) return true; // not an address either: gluetun refuses it, the reader should too
      const [addr, bits] = ipaddr.parseCIDR(e);
      return bits < (addr.kind() === 'ipv4' ? 32 : 128);
    });
}

/**
 * VPN confinement: download and indexer services live in a VPN gateway's network namespace, and
 * the gateway publishes only ports that something behind it listens on.
 */
export const vpnRule = defineRule({
  description: 'VPN confinement: download and indexer services behind a gateway that publishes only what they listen on',
  docs: 'findings.md#across-the-lab',
  codes: ['vpn-confinement', 'gateway-port-unbound', 'gateway-outbound-network'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        if (!service.role || !CONFINED.has(service.role)) continue;
        const owner = namespaceOwner(host, service);
        if (owner === service || owner.role !== 'vpn-gateway') {
          findings.error(
            'vpn-confinement',
            servicePath(host, service, 'networkMode'),
            `${service.name} has role '${service.role}', so its traffic must leave through the VPN: set networkMode: { service: <the vpn-gateway service> } (the seed's network_mode: "container:gluetun").`,
          );
        }
      }
      for (const gateway of host.services.filter((s) => s.role === 'vpn-gateway')) {
        const outbound = gateway.environment?.FIREWALL_OUTBOUND_SUBNETS;
        const wide = typeof outbound === 'string' ? outboundNetworks(outbound) : [];
        if (wide.length > 0) {
          findings.error(
            'gateway-outbound-network',
            servicePath(host, gateway, 'environment.FIREWALL_OUTBOUND_SUBNETS'),
            `${gateway.name} lets everything in its namespace (the torrent client, the indexer) open connections outside the tunnel to ${wide.join(', ')}: every device there. ` +
              `Answers to the proxy and the metrics store need none of it (gluetun routes replies out of eth0 itself); list only the addresses a service behind it must connect to, one each.`,
          );
        }
        const listening = new Set<number>();
        for (const s of host.services) if (namespaceOwner(host, s) === gateway) for (const p of s.listen ?? []) listening.add(p);
        (gateway.ports ?? []).forEach((port, i) => {
          const range = portRange(port.target);
          if (!range) return;
          for (let p = range[0]; p <= range[1]; p++) {
            if (!listening.has(p)) {
              findings.error('gateway-port-unbound', servicePath(host, gateway, `ports[${i}]`), `${gateway.name} publishes port ${p}, but nothing in its namespace listens on it (no service behind it lists ${p} in listen). Remove the port or declare the service that uses it.`);
              break;
            }
          }
        });
      }
    }
  },
});
