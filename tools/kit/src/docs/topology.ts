import type { Lab } from '../model/lab.js';
import type { HostDef } from '../model/host.js';
import { labRoutes } from '../model/routes.js';
import { findRole } from '../model/wiring.js';
import { daemonsOf } from '../model/daemon.js';
import { isLxcHost } from '../model/lxc.js';
import { inDeployOrder } from '../affected/order.js';

/**
 * The two Mermaid diagrams of docs/lab.md, drawn from the model: the topology (hosts and their
 * addresses on the Proxmox node, DNS, the ways in and out: the reverse proxy, Tailscale, Gluetun,
 * and the datasets each host mounts), and the reverse proxy's routes. Two small diagrams instead
 * of one with every service, so that each stays readable at a page's width.
 */

const id = (s: string) => s.replace(/[^a-zA-Z0-9]/g, '_');
/** Mermaid reads a quoted label literally, except its own quote; HTML entities escape it. */
const label = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;

/** The datasets a host mounts: its services' volumes, or an LXC's bind mounts. */
export function mountedDatasets(host: HostDef): string[] {
  const names = new Set<string>();
  for (const s of host.services) for (const v of s.volumes ?? []) if ('dataset' in v) names.add(v.dataset.name);
  for (const m of isLxcHost(host) ? (host.mounts ?? []) : []) names.add(m.dataset.name);
  return [...names].sort();
}

function hostLabel(host: HostDef): string {
  const daemons = (host.daemons ?? []).map((d) => d.name);
  const what = host.services.length ? `${host.services.length} services` : daemons.join(', ');
  return `${host.name}<br/>${host.address}<br/><small>${host.kind} ${host.vmid}: ${what}</small>`;
}

/** Services that live in another service's network namespace, by the service whose namespace it is. */
function behind(host: HostDef, gateway: string): string[] {
  return host.services
    .filter((s) => typeof s.networkMode === 'object' && 'service' in s.networkMode && (typeof s.networkMode.service === 'string' ? s.networkMode.service : s.networkMode.service.name) === gateway)
    .map((s) => s.name)
    .sort();
}

export function topologyDiagram(lab: Lab): string[] {
  const { network, zfs } = lab.facts;
  const proxy = findRole(lab, 'reverse-proxy');
  const lines = ['```mermaid', 'flowchart TB', '  internet((internet))', `  clients((LAN clients))`, `  router[${label(`router<br/>${network.gateway}`)}]`];
  const nodes = lab.nodes?.length ? lab.nodes : [{ name: lab.facts.proxmox.defaultNode, node: lab.facts.proxmox.defaultNode, address: '' }];
  for (const node of nodes) {
    lines.push(`  subgraph ${id(`node_${node.node}`)}[${label(`Proxmox node ${node.node}${node.address ? ` (${node.address})` : ''}`)}]`);
    lines.push(`    ${id(`pool_${node.node}`)}[(${label(`ZFS pool ${zfs.pool}`)})]`);
    for (const h of inDeployOrder(lab.hosts).filter((g) => (g.node ?? lab.facts.proxmox.defaultNode) === node.node)) {
      lines.push(`    ${id(h.name)}[${label(hostLabel(h))}]`);
      for (const gw of h.services.filter((s) => s.role === 'vpn-gateway')) {
        const inside = behind(h, gw.name);
        lines.push(`    ${id(`${h.name}/${gw.name}`)}[${label(`${gw.name} on ${h.name}${inside.length ? `<br/><small>${inside.join(', ')}</small>` : ''}`)}]`);
      }
    }
    lines.push('  end');
  }
  lines.push('  router --- internet');
  for (const h of lab.hosts) {
    const pool = id(`pool_${h.node ?? lab.facts.proxmox.defaultNode}`);
    const datasets = mountedDatasets(h);
    if (datasets.length) lines.push(`  ${pool} -.->|${label(datasets.join('<br/>'))}| ${id(h.name)}`);
  }
  for (const h of lab.hosts) {
    for (const dns of daemonsOf(h, 'adguard')) {
      lines.push(`  clients -->|${label(`DNS :53 (${dns.name})`)}| ${id(h.name)}`);
      if (proxy) lines.push(`  ${id(h.name)} -.->|${label(`route names → ${proxy.host.address}`)}| ${id(proxy.host.name)}`);
      lines.push(`  ${id(h.name)} -->|${label('upstream DNS over HTTPS')}| router`);
    }
    for (const ts of daemonsOf(h, 'tailscale')) {
      lines.push(`  tailnet((tailnet devices)) -->|${label(`Tailscale (${ts.name})`)}| ${id(h.name)}`);
      lines.push(`  ${id(h.name)} -->|${label(`subnet route ${ts.advertiseRoutes.join(', ')}`)}| ${proxy ? id(proxy.host.name) : 'router'}`);
    }
    for (const gw of h.services.filter((s) => s.role === 'vpn-gateway')) {
      const tunnel = id(`${h.name}/${gw.name}`);
      lines.push(`  ${id(h.name)} --- ${tunnel}`);
      lines.push(`  ${tunnel} ==>|${label('VPN tunnel')}| internet`);
    }
  }
  if (proxy) lines.push(`  clients -->|${label(`HTTPS :443 (${proxy.service.name})`)}| ${id(proxy.host.name)}`);
  lines.push('```');
  return lines;
}

export function routesDiagram(lab: Lab): string[] {
  const proxy = findRole(lab, 'reverse-proxy');
  const routes = labRoutes(lab);
  if (!proxy || routes.length === 0) return ['No reverse proxy routes.'];
  const from = id(`proxy/${proxy.host.name}/${proxy.service.name}`);
  const lines = ['```mermaid', 'flowchart LR', `  ${from}[${label(`${proxy.service.name}<br/>${proxy.host.name} ${proxy.host.address}`)}]`];
  for (const h of inDeployOrder(lab.hosts)) {
    const mine = routes.filter((r) => r.host.name === h.name).sort((a, b) => a.fqdn.localeCompare(b.fqdn));
    if (mine.length === 0) continue;
    lines.push(`  subgraph ${id(`routes_${h.name}`)}[${label(`${h.name} ${h.address}`)}]`);
    for (const s of [...new Set(mine.map((r) => r.service.name))]) lines.push(`    ${id(`r/${h.name}/${s}`)}[${label(s)}]`);
    lines.push('  end');
  }
  for (const r of [...routes].sort((a, b) => a.fqdn.localeCompare(b.fqdn))) {
    lines.push(`  ${from} -->|${label(`${r.fqdn}${r.route.access === 'authenticated' ? '' : ' (public)'}`)}| ${id(`r/${r.host.name}/${r.service.name}`)}`);
  }
  lines.push('```');
  return lines;
}
