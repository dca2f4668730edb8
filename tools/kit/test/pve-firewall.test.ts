import { describe, expect, it } from 'vitest';
import { firewallPolicy, guestSourceAddresses, parsePveFirewall, pveRule, renderNode, renderHost, validateLab, type Lab, type PveFirewallEnv } from '../src/internal.js';
import { ipfilterProblem } from '../src/validate/rules/pve-firewall.js';
import { withHost } from './mutate.js';
import { realLab } from './fixtures.js';

const pve = realLab.nodes![0]!;
const files = renderNode(realLab, pve).artifacts.filter((a) => a.kind === 'pve-firewall');
const text = (path: string) => files.find((a) => a.path === path)!.content;
const cluster = parsePveFirewall(text('firewall/cluster.fw'), 'cluster');
const known = { groups: new Set(cluster.groups.keys()) };

describe('the rendered Proxmox firewall files', () => {
  it('are cluster.fw, the node\'s host.fw and one <vmid>.fw per guest, installed where pve-firewall reads them', () => {
    expect(files.map((a) => [a.path, a.install?.path])).toEqual([
      ...realLab.hosts.map((h) => [`firewall/${h.vmid}.fw`, `/etc/pve/firewall/${h.vmid}.fw`]).sort(),
      ['firewall/cluster.fw', '/etc/pve/firewall/cluster.fw'],
      ['firewall/host.fw', '/etc/pve/nodes/pve/host.fw'],
    ]);
  });

  it.each(files.map((a) => [a.path, a.content] as const))('%s parses as pve-firewall reads it, without a problem', (path, content) => {
    const env: PveFirewallEnv = path.endsWith('cluster.fw') ? 'cluster' : path.endsWith('host.fw') ? 'host' : 'vm';
    const parsed = parsePveFirewall(content, env, known);
    expect(parsed.problems).toEqual([]);
    expect(parsed.options.get('enable')).toBe('1');
    if (env !== 'host') expect(parsed.options.get('policy_in')).toBe('DROP');
  });

  it('hold exactly the policy\'s flows for each machine, security groups expanded', () => {
    for (const { machine, flows } of firewallPolicy(realLab).machines) {
      const path = 'vmid' in machine ? `firewall/${machine.vmid}.fw` : 'firewall/host.fw';
      const rules = parsePveFirewall(text(path), 'vmid' in machine ? 'vm' : 'host', known).rules;
      const expanded = rules.flatMap((r) => (r.type === 'group' ? cluster.groups.get(r.action)! : [r]));
      const line = (r: { type: string; action: string; source?: string; proto?: string; dport?: string }) => `${r.type} ${r.action} ${r.source} ${r.proto} ${r.dport}`;
      expect(expanded.map(line), machine.name).toEqual(flows.map((f) => line(parsePveFirewall(`[RULES]\n${pveRule(realLab, f)}\n`, 'vm').rules[0]!)));
    }
  });

  it('narrow pve-firewall\'s own management rules to the admin devices and the nodes (local_network a node, not the subnet)', () => {
    expect([...cluster.aliases]).toEqual([['local_network', '192.168.0.2']]);
    expect(cluster.ipsetEntries.get('management')).toEqual(['192.168.0.6', '192.168.0.5', '192.168.0.2']);
    expect(cluster.problems).toEqual([]);
  });

  it('share the agents\' and SSH rules as security groups', () => {
    expect([...cluster.groups.keys()]).toEqual(['cadvisor', 'node-exporter', 'ssh']);
  });

  it('filter the source of every guest\'s NIC: ipfilter on, the ipset exactly the guest\'s address', () => {
    for (const host of realLab.hosts) {
      const parsed = parsePveFirewall(text(`firewall/${host.vmid}.fw`), 'vm', known);
      expect(parsed.options.get('ipfilter'), host.name).toBe('1');
      expect(parsed.ipsetEntries.get('ipfilter-net0'), host.name).toEqual([host.address]);
      expect(ipfilterProblem(parsed, guestSourceAddresses(realLab, host)), host.name).toBeUndefined();
    }
  });

  it('let a Tailscale subnet router without SNAT send from the tailnet range too', () => {
    const lab: Lab = withHost(realLab, 'lxc-vpn', (h) => ({ ...h, daemons: h.daemons!.map((d) => (d.kind === 'tailscale' ? { ...d, snatSubnetRoutes: false } : d)) }));
    const vpn = lab.hosts.find((h) => h.name === 'lxc-vpn')!;
    expect(guestSourceAddresses(lab, vpn)).toEqual([vpn.address, '100.64.0.0/10']);
    expect(validateLab(lab).filter((f) => f.code === 'guest-ipfilter-missing')).toEqual([]);
  });

  it('turn on the firewall of every guest\'s network device', () => {
    for (const host of realLab.hosts) {
      const conf = renderHost(realLab, host).artifacts.find((a) => a.path === `proxmox/${host.vmid}.conf`)!.content;
      expect(conf, host.name).toMatch(/^net0: .*firewall=1/m);
    }
  });
});

// Lines pve-firewall would warn about and skip, or keep as a rule with errors that it never applies.
const bad: { name: string; env: PveFirewallEnv; text: string; problem: RegExp }[] = [
  { name: 'a line before any section', env: 'vm', text: 'IN ACCEPT -p tcp -dport 22\n', problem: /no section/ },
  { name: 'an option of another file', env: 'vm', text: '[OPTIONS]\nebtables: 1\n', problem: /can't parse option/ },
  { name: 'a policy that is no action', env: 'cluster', text: '[OPTIONS]\npolicy_in: DENY\n', problem: /can't parse option/ },
  { name: 'a security group in a guest file', env: 'vm', text: '[group web]\nIN ACCEPT -p tcp -dport 80\n', problem: /not a section/ },
  { name: 'a group name over 18 characters', env: 'cluster', text: '[group a-very-long-group-name]\n', problem: /invalid group name/ },
  { name: 'a reference to a group cluster.fw lacks', env: 'vm', text: '[RULES]\nGROUP web\n', problem: /no security group 'web'/ },
  { name: 'a port beyond 65535', env: 'vm', text: '[RULES]\nIN ACCEPT -p tcp -dport 70000\n', problem: /invalid port/ },
  { name: 'a range written backwards', env: 'vm', text: '[RULES]\nIN ACCEPT -p tcp -dport 200:100\n', problem: /backwards range/ },
  { name: 'a range with a dash', env: 'vm', text: '[RULES]\nIN ACCEPT -p tcp -dport 100-200\n', problem: /not a port number/ },
  { name: 'a port without a protocol', env: 'vm', text: '[RULES]\nIN ACCEPT -dport 22\n', problem: /requires a protocol/ },
  { name: 'a port on a protocol without ports', env: 'vm', text: '[RULES]\nIN ACCEPT -p icmp -dport 22\n', problem: /does not support ports/ },
  { name: 'more than 15 ports', env: 'vm', text: `[RULES]\nIN ACCEPT -p tcp -dport ${Array.from({ length: 16 }, (_, i) => 1000 + i).join(',')}\n`, problem: /too many entries/ },
  { name: 'a network with host bits', env: 'vm', text: '[RULES]\nIN ACCEPT -source 192.168.0.5/24 -p tcp -dport 22\n', problem: /invalid IP address/ },
  { name: 'IPv4 and IPv6 in one list', env: 'vm', text: '[RULES]\nIN ACCEPT -source 192.168.0.5,fd00::1 -p tcp -dport 22\n', problem: /mixed IPv4\/IPv6/ },
  { name: 'a range in a list', env: 'vm', text: '[RULES]\nIN ACCEPT -source 192.168.0.5-192.168.0.9,192.168.0.20 -p tcp -dport 22\n', problem: /range in a list/ },
  { name: 'an ipset that is not defined', env: 'vm', text: '[RULES]\nIN ACCEPT -source +lan -p tcp -dport 22\n', problem: /no such ipset/ },
  { name: 'a host interface name in a guest file', env: 'vm', text: '[RULES]\nIN ACCEPT -i eth0 -p tcp -dport 22\n', problem: /interface 'eth0'/ },
  { name: 'forward rules in a guest file', env: 'vm', text: '[RULES]\nFORWARD ACCEPT -p tcp -dport 22\n', problem: /invalid rule type 'forward'/ },
  { name: 'an unknown action', env: 'vm', text: '[RULES]\nIN ALLOW -p tcp -dport 22\n', problem: /unknown action/ },
  { name: 'flags in the wrong spelling', env: 'vm', text: '[RULES]\nIN ACCEPT --protocol tcp\n', problem: /unable to parse rule parameters/ },
  { name: 'an unknown protocol', env: 'vm', text: '[RULES]\nIN ACCEPT -p quic -dport 443\n', problem: /unknown protocol/ },
  { name: 'an alias with two blanks (parse_alias takes one)', env: 'cluster', text: '[ALIASES]\nlocal_network  192.168.0.2\n', problem: /can't parse alias/ },
  { name: 'an alias to a network with host bits', env: 'cluster', text: '[ALIASES]\nlocal_network 192.168.0.2/24\n', problem: /invalid alias address/ },
];

// A guest file that leaves the NIC's source unfiltered (guest-ipfilter-missing), for vm-media at 192.168.0.21.
const unfiltered: { name: string; text: string; problem: RegExp }[] = [
  { name: 'ipfilter off', text: '[OPTIONS]\nenable: 1\n[RULES]\nIN ACCEPT -p tcp -dport 22\n', problem: /ipfilter is not on/ },
  { name: 'ipfilter on without the ipset (a VM keeps only its link-local address)', text: '[OPTIONS]\nenable: 1\nipfilter: 1\n', problem: /no \[IPSET ipfilter-net0\]/ },
  { name: 'the ipset opened to the whole LAN', text: '[OPTIONS]\nipfilter: 1\n[IPSET ipfilter-net0]\n192.168.0.0/24\n', problem: /holds 192\.168\.0\.0\/24/ },
  { name: 'the ipset holding another guest\'s address', text: '[OPTIONS]\nipfilter: 1\n[IPSET ipfilter-net0]\n192.168.0.20\n', problem: /holds 192\.168\.0\.20 where/ },
];

describe('a guest firewall that does not filter its NIC\'s source (guest-ipfilter-missing)', () => {
  it.each(unfiltered)('$name', ({ text: content, problem }) => {
    expect(ipfilterProblem(parsePveFirewall(content, 'vm'), ['192.168.0.21'])).toMatch(problem);
  });
});

describe('the checker refuses what pve-firewall refuses', () => {
  it.each(bad)('$name', ({ env, text: content, problem }) => {
    const parsed = parsePveFirewall(content, env);
    expect(parsed.problems.map((p) => p.message).join('\n')).toMatch(problem);
  });

  it('and takes what it takes: comments, a disabled rule, ranges and lists, an ipset, a group with a comment', () => {
    const parsed = parsePveFirewall(
      [
        '# a comment line',
        '[OPTIONS]',
        'enable: 1',
        'policy_forward: ACCEPT',
        '[IPSET lan] # the LAN',
        '192.168.0.0/24',
        '[group web] # the web',
        'IN ACCEPT -source +lan -p tcp -dport 80,443 # http and https',
        '[RULES]',
        '|IN ACCEPT -source 192.168.0.5-192.168.0.9 -p udp -dport 25565:25664',
        'GROUP web -i vmbr0',
        'IN DROP -p icmp',
      ].join('\n'),
      'cluster',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.rules.map((r) => [r.type, r.action, r.enabled])).toEqual([['in', 'ACCEPT', false], ['group', 'web', true], ['in', 'DROP', true]]);
    expect(parsed.groups.get('web')![0]!.comment).toBe('http and https');
  });
});
