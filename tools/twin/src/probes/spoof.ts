import { firewallPolicy, type Lab } from '@homelab/kit/internal';
import type { TwinNode } from '../namespaces.js';
import { fail, type ProbeLog } from '../probe.js';
import { connectAll } from './firewall.js';

/**
 * The spoofing probe (issue 27's "a namespace that spoofs vm-infra's address"): root on one guest
 * (`attacker`) takes the proxy host's address as its own and connects, from that source, to every
 * port the firewall opens to the proxy host only (the backends, the exporters). Its ARP requests
 * carry that source too, so without pve-firewall's ipfilter on its NIC the other machines learn
 * the address at the attacker's MAC and the connection passes the guests' firewalls; with it, the
 * node's bridge drops them. Every such port must stay dropped. The address, and what the others
 * learned of it, are removed afterwards.
 */
export async function probeSpoof(log: ProbeLog, lab: Lab, attacker: TwinNode, impersonated: TwinNode, nodes: ReadonlyMap<string, TwinNode>, notes: string[]): Promise<void> {
  const cases: { machine: string; target: string; why: string }[] = [];
  for (const { machine, flows } of firewallPolicy(lab).machines) {
    if (machine.name === attacker.host || machine.name === impersonated.host || !nodes.has(machine.name)) continue;
    for (const f of flows) {
      if (f.protocol !== 'tcp' || !/^\d+$/.test(f.port) || f.from === 'lan') continue;
      if (!f.from.includes(impersonated.host) || f.from.includes(attacker.host)) continue;
      cases.push({ machine: machine.name, target: `${machine.address}:${f.port}`, why: f.owner });
    }
  }
  if (cases.length === 0) return;
  const address = impersonated.address;
  const must = async (node: TwinNode, argv: string[]) => {
    const r = await node.execNet(argv);
    if (r.code !== 0) throw new Error(`twin: ${argv.join(' ')} in ${node.host}: ${r.stderr.trim()}`);
  };
  // Its own cache emptied, so that it asks (ARP, from the spoofed address) for each target again.
  await must(attacker, ['ip', 'neigh', 'flush', 'dev', 'eth0']);
  await must(attacker, ['ip', 'addr', 'add', `${address}/32`, 'dev', 'eth0']);
  let reach: Record<string, string>;
  try {
    reach = await connectAll(attacker, [...new Set(cases.map((c) => c.target))], address);
  } finally {
    await attacker.execNet(['ip', 'addr', 'del', `${address}/32`, 'dev', 'eth0']);
    await attacker.execNet(['ip', 'neigh', 'flush', 'dev', 'eth0']);
    // What a target may have learned of the address (the attacker's MAC) goes; it asks again.
    for (const n of nodes.values()) if (n !== impersonated) await n.execNet(['ip', 'neigh', 'del', address, 'dev', 'eth0']);
  }
  for (const c of cases) {
    await log.check(c.machine, 'firewall', `${c.target} (${c.why}): dropped from ${attacker.host} posing as ${impersonated.host} (${address})`, () => {
      const r = reach[c.target];
      if (r !== 'dropped') fail(`${attacker.host} sent from ${address} (root on a guest can) and ${c.target} ${r === 'open' ? 'answered' : 'refused the connection (it passed the firewall)'}: nothing dropped the spoofed source, which pve-firewall's ipfilter on ${attacker.host}'s NIC does`);
    });
  }
  notes.push(`firewall: ${attacker.host} posed as ${impersonated.host} (${address}) towards ${cases.length} port(s) open to ${impersonated.host} only; the bridge drops a guest's spoofed source as pve-firewall's ipfilter does (nftables in the bridge's namespace, from the deployed cluster.fw, <vmid>.fw and guest configs)`);
}
