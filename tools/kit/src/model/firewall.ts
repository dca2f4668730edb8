import { daemonsOf } from './daemon.js';
import { machineExporters } from './exporters.js';
import type { HostDef } from './host.js';
import type { Lab } from './lab.js';
import { oncePer } from './once-per.js';
import { labMachines, type Machine } from './proxmox-host.js';
import { namespaceOwner, proxyHost } from './routes.js';
import type { PortSpec, ServiceDef } from './service.js';
import { guestNode } from './placement.js';
import { findRole } from './wiring.js';

/**
 * Who may open a connection: `lan` is the network plan's subnet; otherwise machines of the lab
 * by name (a guest or a Proxmox host), or addresses and CIDRs the model names (NFS clients).
 */
export type FlowSource = 'lan' | readonly string[];

/** One inbound flow a machine's firewall lets in; everything else new from the network is dropped. */
export interface FirewallFlow {
  /** A port, or a range `first-last`. */
  readonly port: string;
  readonly protocol: 'tcp' | 'udp';
  readonly from: FlowSource;
  /** Why it is open, for the reader of the rendered rule (one line). */
  readonly reason: string;
  /** What listens: a service or daemon name, or `ssh` / `proxmox` for the machine's own. */
  readonly owner: string;
  /** The model field it comes from (host/service/field). */
  readonly path: string;
}

/** A port the lab publishes that nothing in the model reaches: the firewall would drop every client. */
export interface UnreachablePort {
  readonly path: string;
  readonly host: string;
  readonly service: string;
  readonly port: string;
  readonly protocol: 'tcp' | 'udp';
}

export interface FirewallPolicy {
  /** Every machine of the lab (guests and Proxmox hosts), sorted by name, with its flows. */
  readonly machines: readonly { readonly machine: Machine; readonly flows: readonly FirewallFlow[] }[];
  readonly unreachable: readonly UnreachablePort[];
}

const SSH_REASON = 'deploy over SSH, from the admin devices (the CI runner, the workstation)';

/** Who may reach management (SSH, the Proxmox web UI): the plan's admin devices, else the whole LAN (mgmt-open-to-lan). */
export function adminSources(lab: Lab): FlowSource {
  const admins = lab.facts.network.admins ?? [];
  return admins.length > 0 ? [...admins].sort() : 'lan';
}

/** The owners of management flows: SSH and the Proxmox web UI/API. */
export const MANAGEMENT_OWNERS: ReadonlySet<string> = new Set(['ssh', 'proxmox']);

/**
 * What a Proxmox node lets in, whether it has a host package (`at` its name) or not (`at`
 * `lab/proxmox/<node>`): SSH for deploy and the web UI from the admin devices, then NFSv4 to the clients
 * of the exports of the guests it runs.
 */
export function nodeFlows(lab: Lab, node: string, at: string, sshPort = 22): FirewallFlow[] {
  const flows: FirewallFlow[] = [
    { port: String(sshPort), protocol: 'tcp', from: adminSources(lab), reason: SSH_REASON, owner: 'ssh', path: `${at}/deploy` },
    { port: '8006', protocol: 'tcp', from: adminSources(lab), reason: 'the Proxmox VE web UI and API, consoles included: from the admin devices only', owner: 'proxmox', path: at },
  ];
  // A metrics agent that asks the node's API (its scrape's `target` is the node's address, as
  // prometheus-pve-exporter's is) reaches 8006 from its host: the API, not the admins' web UI.
  const address = (lab.facts.network.addresses as Readonly<Record<string, { address: string }>>)[node]?.address;
  for (const host of lab.hosts) {
    for (const service of host.services) {
      if (!address || !(service.metrics?.params?.target ?? []).includes(address)) continue;
      flows.push({ port: '8006', protocol: 'tcp', from: [host.name], reason: `the Proxmox VE API for ${service.name} on ${host.name} (metrics of the node, an API token)`, owner: 'proxmox-api', path: `${host.name}/${service.name}/metrics` });
    }
  }
  for (const host of lab.hosts.filter((h) => guestNode(lab.facts, h) === node)) {
    for (const nfs of daemonsOf(host, 'nfs-exports')) {
      const clients = nfs.exports.flatMap((e) => e.clients.map((c) => c.host));
      if (clients.length === 0) continue;
      const from = clients.includes(lab.facts.network.subnet) ? 'lan' : [...new Set(clients)].sort();
      flows.push({ port: '2049', protocol: 'tcp', from, reason: `NFSv4 to the clients of ${host.name}'s exports`, owner: nfs.name, path: `${host.name}/${nfs.name}/exports` });
    }
  }
  return flows;
}

/**
 * The firewall policy of the whole lab, derived from routes, metrics and LAN-facing ports:
 * computed once per lab (every machine's renderer and the rules read it).
 */
export const firewallPolicy = oncePer((lab: Lab): FirewallPolicy => {
  const unreachable: UnreachablePort[] = [];
  const flows = new Map<string, FirewallFlow[]>(labMachines(lab).map((m) => [m.name, []]));
  for (const host of lab.hosts) flows.get(host.name)!.push(...guestFlows(lab, host, unreachable));
  for (const node of lab.nodes ?? []) flows.get(node.name)!.push(...nodeFlows(lab, node.node, node.name, node.deploy?.port));
  // A machine's own exporter (an LXC's, the Proxmox host's): only the metrics store's host scrapes it.
  const store = lab.hosts.find((h) => h.services.some((s) => s.role === 'metrics-store'));
  for (const e of machineExporters(lab)) {
    if (!store) continue; // no metrics store in this workspace: nothing scrapes it, nothing gets in
    flows.get(e.machine)!.push({ port: String(e.port), protocol: 'tcp', from: [store.name], reason: `metrics of ${e.exporter.name}, scraped from ${store.name}`, owner: e.exporter.name, path: e.field });
  }
  return { machines: labMachines(lab).map((machine) => ({ machine, flows: flows.get(machine.name)! })), unreachable };
});

const policyByMachine = oncePer((lab: Lab) => new Map(firewallPolicy(lab).machines.map((m) => [m.machine.name, m])));

/** One machine's entry of the policy (a guest or a Proxmox host) by name: looked up, not searched. */
export function machinePolicy(lab: Lab, name: string): FirewallPolicy['machines'][number] | undefined {
  return policyByMachine(lab).get(name);
}

/** The flows of one machine (a guest or a Proxmox host) by name. */
export function machineFlows(lab: Lab, name: string): readonly FirewallFlow[] {
  return machinePolicy(lab, name)?.flows ?? [];
}

/** Every name a flow source can use (machines first, then the network plan's names), with its address. */
const addressesByName = oncePer((lab: Lab): ReadonlyMap<string, string> => {
  const byName = new Map<string, string>(labMachines(lab).map((m) => [m.name, m.address]));
  for (const [name, a] of Object.entries(lab.facts.network.addresses)) if (!byName.has(name)) byName.set(name, a.address);
  return byName;
});

/** The addresses and CIDRs a flow's sources stand for, sorted. */
export function sourceAddresses(lab: Lab, from: FlowSource): string[] {
  if (from === 'lan') return [lab.facts.network.subnet];
  const byName = addressesByName(lab);
  return [...new Set(from.map((s) => byName.get(s) ?? s))].sort();
}

/** Tailscale's address space for tailnet devices (the CGNAT range; tailscale.com/kb/1015/100.x-addresses, read 2026-12-07). */
export const TAILNET_RANGE = '100.64.0.0/10';

/**
 * The source addresses a guest's NIC may send from (pve-firewall's ipfilter-net0 ipset): its own
 * address; a Tailscale subnet router that keeps client sources (snatSubnetRoutes: false) also
 * forwards from the tailnet range. Anything else leaving the guest is a spoofed source, dropped at
 * the node's bridge before another guest's firewall trusts it.
 */
export function guestSourceAddresses(lab: Lab, host: HostDef): string[] {
  const out = [host.address];
  if (daemonsOf(host, 'tailscale').some((ts) => ts.snatSubnetRoutes === false)) out.push(TAILNET_RANGE);
  return out;
}

function guestFlows(lab: Lab, host: HostDef, unreachable: UnreachablePort[]): FirewallFlow[] {
  const out: FirewallFlow[] = [];
  const via = host.deploy?.via ?? (host.kind === 'lxc' ? 'proxmox' : 'ssh');
  if (via === 'ssh') out.push({ port: String(host.deploy?.port ?? 22), protocol: 'tcp', from: adminSources(lab), reason: SSH_REASON, owner: 'ssh', path: `${host.name}/deploy` });
  for (const service of host.services) {
    const publish = (spec: PortSpec, field: string, port: string) => {
      const protocol = spec.protocol ?? 'tcp';
      const path = `${host.name}/${service.name}/${field}`;
      if (spec.exposure === 'lan') {
        out.push({ port, protocol, from: 'lan', reason: oneLine(spec.reason ?? ''), owner: service.name, path });
        return;
      }
      const reached = protocol === 'tcp' ? reachedBy(lab, host, service, Number(spec.target)) : undefined;
      if (!reached) unreachable.push({ path, host: host.name, service: service.name, port, protocol });
      else if (reached.from.length > 0) out.push({ port, protocol, ...reached, owner: service.name, path });
    };
    // On the host's network a service answers on every address; what nothing reaches, the firewall
    // keeps off the LAN (no finding: it is not published, it only listens).
    if (service.networkMode === 'host') {
      (service.listen ?? []).forEach((p) => {
        const reached = reachedBy(lab, host, service, p);
        if (reached?.from.length) out.push({ port: String(p), protocol: 'tcp', ...reached, owner: service.name, path: `${host.name}/${service.name}/listen` });
      });
    }
    (service.ports ?? []).forEach((p, i) => {
      if ((p.bind ?? 'lan') !== 'loopback') publish(p, `ports[${i}]`, String(p.published ?? p.target));
    });
    (service.allocations ?? []).forEach((p, i) => publish(p, `allocations[${i}]`, String(p.published ?? p.target)));
  }
  for (const dns of daemonsOf(host, 'adguard')) {
    const port = String(dns.dns.port ?? 53);
    const reason = 'DNS for the LAN: the network plan hands this resolver to every client';
    out.push({ port, protocol: 'udp', from: 'lan', reason, owner: dns.name, path: `${host.name}/${dns.name}/dns` });
    out.push({ port, protocol: 'tcp', from: 'lan', reason, owner: dns.name, path: `${host.name}/${dns.name}/dns` });
    const path = `${host.name}/${dns.name}/httpPort`;
    const routed = (lab.facts.externalRoutes ?? []).find((r) => r.address === host.address && r.port === dns.httpPort);
    const proxy = proxyHost(lab);
    if (routed && proxy) out.push({ port: String(dns.httpPort), protocol: 'tcp', from: [proxy.name], reason: `reverse proxy for ${routed.host}.${lab.facts.domain}`, owner: dns.name, path });
    // A route with no reverse proxy in the lab is the routes rule's finding, not this one.
    else if (!routed) unreachable.push({ path, host: host.name, service: dns.name, port: String(dns.httpPort), protocol: 'tcp' });
  }
  for (const ts of daemonsOf(host, 'tailscale')) {
    const reason = 'Tailscale: direct WireGuard paths from tailnet devices on the LAN (others punch through NAT or use DERP)';
    out.push({ port: String(ts.port ?? 41641), protocol: 'udp', from: 'lan', reason, owner: ts.name, path: `${host.name}/${ts.name}/port` });
  }
  for (const smb of daemonsOf(host, 'samba')) {
    const from = smb.allowFrom.includes(lab.facts.network.subnet) ? 'lan' : [...smb.allowFrom].sort();
    out.push({ port: '445', protocol: 'tcp', from, reason: 'SMB to the clients Samba allows (allowFrom)', owner: smb.name, path: `${host.name}/${smb.name}/allowFrom` });
  }
  return out;
}

/**
 * Who reaches a port of the service's namespace, by the model: the proxy's host for a route (and
 * the start page's host for a route with a widget), the metrics store's host for metrics; undefined when neither is declared. A route or metrics in a
 * lab without a proxy or a store (a partial workspace) is declared but reached by no one.
 */
function reachedBy(lab: Lab, host: HostDef, service: ServiceDef, target: number): { from: string[]; reason: string } | undefined {
  const owner = namespaceOwner(host, service);
  const from = new Set<string>();
  const why: string[] = [];
  const proxy = proxyHost(lab);
  const store = findRole(lab, 'metrics-store')?.host;
  const startPage = findRole(lab, 'start-page')?.host;
  let declared = false;
  for (const s of host.services) {
    if (namespaceOwner(host, s) !== owner) continue;
    if (s.route?.port === target) {
      declared = true;
      if (proxy) from.add(proxy.name);
      why.push(`reverse proxy for ${s.name}`);
      // The start page's widget calls the service's API from the start page's host.
      if (s.route.page?.widget && startPage) {
        from.add(startPage.name);
        why.push(`start page widget of ${s.name}`);
      }
    }
    if (s.metrics?.port === target) {
      declared = true;
      if (store) from.add(store.name);
      why.push(`metrics of ${s.name}, scraped from ${store?.name ?? 'the metrics store'}`);
    }
  }
  return declared ? { from: [...from].sort(), reason: why.join('; ') } : undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
