import { guestSourceAddresses } from '../../model/firewall.js';
import { IPFILTER_SET, renderPveFirewall } from '../../render/pve-firewall.js';
import { parsePveFirewall, type PveFirewallEnv, type PveFirewallFile } from '../pve-firewall-format.js';
import { defineRule } from '../rule.js';

/**
 * Why a guest's firewall file does not pin the sources its NIC may send from (undefined when it
 * does): `ipfilter: 1` and an ipfilter-net0 ipset of exactly the model's addresses. Without it,
 * root on any guest (or ARP spoofing) poses as another machine and every `-source` rule trusts it.
 * Firewall.pm: ipfilter (or the ipset alone) adds `-m set ! --match-set <ipfilter-net0> src -j DROP`
 * to the tap's OUT chain and ARP filters from the set's IPv4 entries; without the set, a VM's
 * implicit one allows only its IPv6 link-local address (pve-firewall src/PVE/Firewall.pm, read 2026-12-07).
 */
export function ipfilterProblem(file: PveFirewallFile, addresses: readonly string[]): string | undefined {
  if (file.options.get('ipfilter') !== '1') return 'ipfilter is not on ([OPTIONS] ipfilter: 1): the guest can send from any source address, and every "-source" rule of the lab trusts it';
  const set = file.ipsetEntries.get(IPFILTER_SET);
  if (!set) return `no [IPSET ${IPFILTER_SET}]: a VM's implicit set holds only its IPv6 link-local address, so ipfilter would drop its own IPv4 traffic`;
  const want = [...addresses].sort();
  const have = [...set].sort();
  if (want.join(',') !== have.join(',')) return `[IPSET ${IPFILTER_SET}] holds ${have.join(', ') || 'nothing'} where the model's sources are ${want.join(', ')}: a wider set lets the guest pose as its neighbours, a narrower one drops its own traffic`;
  return undefined;
}

/**
 * The firewall files each Proxmox host gets, read as pve-firewall reads them: a line it would
 * skip (an address it cannot parse, a port out of range) is a rule that silently does not exist;
 * a guest file without ipfilter leaves every source-based rule open to a spoofed address.
 */
export const pveFirewallRule = defineRule({
  description: 'The firewall files each Proxmox host gets, read as pve-firewall reads them; every guest NIC source-filtered',
  docs: 'findings.md#entry-control-the-firewall',
  codes: ['pve-firewall-invalid', 'guest-ipfilter-missing'],
  check(lab, findings) {
    const rendered = (lab.nodes ?? []).flatMap((node) => renderPveFirewall(lab, node).map((artifact) => ({ node, artifact })));
    const cluster = rendered.find((r) => r.artifact.path === 'firewall/cluster.fw');
    const groups = new Set(cluster ? parsePveFirewall(cluster.artifact.content, 'cluster').groups.keys() : []);
    const byVmid = new Map(lab.hosts.map((h) => [`firewall/${h.vmid}.fw`, h]));
    for (const { node, artifact } of rendered) {
      const env: PveFirewallEnv = artifact.path.endsWith('cluster.fw') ? 'cluster' : artifact.path.endsWith('host.fw') ? 'host' : 'vm';
      const lines = artifact.content.split('\n');
      const parsed = parsePveFirewall(artifact.content, env, { groups });
      for (const p of parsed.problems) {
        findings.error(
          'pve-firewall-invalid',
          `${node.name}/${artifact.path}`,
          `line ${p.line} (${lines[p.line - 1]?.trim()}): ${p.message}. pve-firewall would skip it; fix the model value it comes from (an address, a network with host bits, a port).`,
        );
      }
      const guest = byVmid.get(artifact.path);
      const problem = guest && ipfilterProblem(parsed, guestSourceAddresses(lab, guest));
      if (guest && problem) findings.error('guest-ipfilter-missing', `${node.name}/${artifact.path}`, `${guest.name}: ${problem}.`);
    }
  },
});
