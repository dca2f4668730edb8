import { renderPveFirewall } from '../../render/pve-firewall.js';
import { parsePveFirewall, type PveFirewallEnv } from '../pve-firewall-format.js';
import { defineRule } from '../rule.js';

/**
 * The firewall files each Proxmox host gets, read as pve-firewall reads them: a line it would
 * skip (an address it cannot parse, a port out of range) is a rule that silently does not exist.
 */
export const pveFirewallRule = defineRule({
  description: 'The firewall files each Proxmox host gets, read as pve-firewall reads them',
  docs: 'findings.md#entry-control-the-firewall',
  codes: ['pve-firewall-invalid'],
  check(lab, findings) {
    const rendered = (lab.nodes ?? []).flatMap((node) => renderPveFirewall(lab, node).map((artifact) => ({ node, artifact })));
    const cluster = rendered.find((r) => r.artifact.path === 'firewall/cluster.fw');
    const groups = new Set(cluster ? parsePveFirewall(cluster.artifact.content, 'cluster').groups.keys() : []);
    for (const { node, artifact } of rendered) {
      const env: PveFirewallEnv = artifact.path.endsWith('cluster.fw') ? 'cluster' : artifact.path.endsWith('host.fw') ? 'host' : 'vm';
      const lines = artifact.content.split('\n');
      for (const p of parsePveFirewall(artifact.content, env, { groups }).problems) {
        findings.error(
          'pve-firewall-invalid',
          `${node.name}/${artifact.path}`,
          `line ${p.line} (${lines[p.line - 1]?.trim()}): ${p.message}. pve-firewall would skip it; fix the model value it comes from (an address, a network with host bits, a port).`,
        );
      }
    }
  },
});
