import { IPFILTER_SET, parsePveFirewall } from '@homelab/kit/internal';

/** One guest NIC on the twin's bridge, with what the node holds for it: its guest config and its firewall file. */
export interface GuestPort {
  readonly name: string;
  /** The guest's veth end on the twin's bridge (where the node's tap or veth would be). */
  readonly port: string;
  readonly kind: 'vm' | 'ct';
  /** /etc/pve/nodes/<node>/{qemu-server,lxc}/<vmid>.conf as deployed. */
  readonly conf: string;
  /** /etc/pve/firewall/<vmid>.fw as deployed ('' when there is none). */
  readonly fw: string;
}

/**
 * The sources pve-firewall lets a guest's net0 send from, or undefined when nothing filters them.
 * As pve-firewall decides it (pve-firewall's docs, "IP Filter", and src/PVE/Firewall.pm,
 * read 2026-12-07): only with the datacenter firewall on (cluster.fw `enable: 1`), the NIC's
 * `firewall=1`, and the guest's `enable: 1`; then `ipfilter: 1`, or an `ipfilter-net0` ipset
 * alone, drops every packet (ARP included) whose source is outside that ipset, into which a
 * container's configured `ip=` is implicitly added.
 */
export function ipfilterSources(clusterFw: string, g: GuestPort): string[] | undefined {
  if (parsePveFirewall(clusterFw, 'cluster').options.get('enable') !== '1') return undefined;
  const net0 = /^net0:\s*(.*)$/m.exec(g.conf)?.[1] ?? '';
  if (!/(^|,)firewall=1(,|$)/.test(net0)) return undefined;
  const fw = parsePveFirewall(g.fw, g.kind);
  if (fw.options.get('enable') !== '1') return undefined;
  const set = fw.ipsetEntries.get(IPFILTER_SET);
  if (fw.options.get('ipfilter') !== '1' && set === undefined) return undefined;
  const configured = g.kind === 'ct' ? [/(^|,)ip=([^,/]+)/.exec(net0)?.[2]].filter((a): a is string => !!a && a !== 'dhcp' && a !== 'manual') : [];
  return [...new Set([...(set ?? []).filter((e) => !e.startsWith('!')).map((e) => e.replace(/\/32$/, '')), ...configured])].sort();
}

/**
 * The bridge's share of pve-firewall, as nftables in the twin's bridge namespace: for each guest
 * whose ipfilter is on, what enters the bridge from its port with an IPv4 or ARP source outside its
 * set is dropped. A guest without ipfilter sends from any source.
 */
export function ipfilterRuleset(clusterFw: string, guests: readonly GuestPort[]): { ruleset: string; filtered: string[] } {
  const sets: string[] = [];
  const rules: string[] = [];
  const filtered: string[] = [];
  for (const [i, g] of guests.entries()) {
    const sources = ipfilterSources(clusterFw, g);
    if (!sources) continue;
    filtered.push(g.name);
    const set = `g${i}`;
    sets.push(`  set ${set} {\n    type ipv4_addr\n${sources.length ? `    elements = { ${sources.join(', ')} }\n` : ''}  }`);
    rules.push(`    iifname "${g.port}" ether type ip ip saddr != @${set} drop`, `    iifname "${g.port}" ether type arp arp saddr ip != @${set} drop`);
  }
  const ruleset = ['table bridge twin_ipfilter {', ...sets, '  chain guests {', '    type filter hook forward priority 0; policy accept;', ...rules, '  }', '}', ''].join('\n');
  return { ruleset, filtered };
}
