import ipaddr from 'ipaddr.js';

// The grammar of Proxmox VE firewall files as pve-firewall's src/PVE/Firewall.pm reads them
// (generic_fw_config_parser, parse_fw_rule, verify_rule, parse_*fw_option). Where pve-firewall
// would warn and skip a line, or keep a rule with errors (and not apply it), this reports a problem.

/** Which file: cluster.fw, a node's host.fw, a VM's or a container's <vmid>.fw. */
export type PveFirewallEnv = 'cluster' | 'host' | 'vm' | 'ct';

export interface PveFirewallRule {
  readonly line: number;
  readonly type: string;
  readonly action: string;
  readonly enabled: boolean;
  readonly proto?: string;
  readonly dport?: string;
  readonly source?: string;
  readonly comment?: string;
}

export interface PveFirewallFile {
  readonly options: ReadonlyMap<string, string>;
  readonly rules: readonly PveFirewallRule[];
  readonly groups: ReadonlyMap<string, readonly PveFirewallRule[]>;
  readonly ipsets: ReadonlySet<string>;
  /** The aliases of its [ALIASES] section, by name (lower case), each an address or network. */
  readonly aliases: ReadonlyMap<string, string>;
  /** The entries of the ipsets this file defines, by name (`!` kept on a nomatch entry). */
  readonly ipsetEntries: ReadonlyMap<string, readonly string[]>;
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

const NAME = /^[A-Za-z][A-Za-z0-9\-_]+$/;
const GROUP_NAME_MAX = 18;
const IPSET_NAME_MAX = 64;
const LOG_LEVELS = 'emerg|alert|crit|err|warning|notice|info|debug|nolog';
// The names of /etc/protocols that take ports ($PROTOCOLS_WITH_PORTS), and the other common ones.
const PROTOCOLS_WITH_PORTS = new Set(['tcp', '6', 'udp', '17', 'udplite', '136', 'dccp', '33', 'sctp', '132']);
const PROTOCOLS = new Set([...PROTOCOLS_WITH_PORTS, 'icmp', '1', 'ipv6-icmp', 'icmpv6', '58', 'igmp', '2', 'gre', '47', 'esp', '50', 'ah', '51', 'vrrp', '112']);

const OPTION_GRAMMAR: Record<PveFirewallEnv, readonly RegExp[]> = {
  cluster: [/^(enable):\s*(\d+)\s*$/i, /^(ebtables):\s*(0|1)\s*$/i, /^(policy_(?:in|out|forward)):\s*(ACCEPT|DROP|REJECT)\s*$/i, /^(log_ratelimit):\s*(\S+)\s*$/],
  host: [
    /^(enable|nosmurfs|tcpflags|ndp|log_nf_conntrack|nf_conntrack_allow_invalid|protection_synflood|nftables):\s*(0|1)\s*$/i,
    new RegExp(`^(log_level_(?:in|out|forward)|tcp_flags_log_level|smurf_log_level):\\s*((?:${LOG_LEVELS})?)\\s*$`, 'i'),
    /^(nf_conntrack_max|nf_conntrack_tcp_timeout_established|nf_conntrack_tcp_timeout_syn_recv|protection_synflood_rate|protection_synflood_burst|protection_limit):\s*(\d+)\s*$/i,
  ],
  vm: [
    /^(enable|dhcp|ndp|radv|macfilter|ipfilter|ips):\s*(0|1)\s*$/i,
    new RegExp(`^(log_level_in|log_level_out):\\s*((?:${LOG_LEVELS})?)\\s*$`, 'i'),
    /^(policy_(?:in|out)):\s*(ACCEPT|DROP|REJECT)\s*$/i,
  ],
  ct: [],
};
OPTION_GRAMMAR.ct = OPTION_GRAMMAR.vm;

const SECTIONS: Record<PveFirewallEnv, readonly string[]> = {
  cluster: ['options', 'aliases', 'group', 'rules', 'ipset'],
  host: ['options', 'rules'],
  vm: ['options', 'aliases', 'rules', 'ipset'],
  ct: ['options', 'aliases', 'rules', 'ipset'],
};

/** Rule types each place takes ($rule_env_direction_lookup); `group` is the inside of a [group]. */
const TYPES: Record<PveFirewallEnv | 'group', readonly string[]> = {
  cluster: ['in', 'out', 'forward', 'group'],
  host: ['in', 'out', 'forward', 'group'],
  vm: ['in', 'out', 'group'],
  ct: ['in', 'out', 'group'],
  group: ['in', 'out', 'forward'],
};

/** Why parse_port_name_number_or_range refuses a dport/sport (undefined when it accepts it; port names are not checked here and count as refused). */
export function pvePortProblem(spec: string): string | undefined {
  const items = spec.split(',');
  if (items.join(',') !== spec || items.some((i) => i === '')) return 'extraneous commas in list';
  let count = 0;
  for (const item of items) {
    const range = /^(\d+):(\d+)$/.exec(item);
    if (range) {
      count += 2;
      if (Number(range[1]) > 65535 || Number(range[2]) > 65535) return `invalid port '${item}'`;
      if (Number(range[1]) > Number(range[2])) return `backwards range '${item}' not allowed`;
    } else if (/^\d+$/.test(item)) {
      count += 1;
      if (Number(item) > 65535) return `invalid port '${item}'`;
    } else return `'${item}' is not a port number or range (service names depend on the node's /etc/services)`;
  }
  return count > 15 ? 'too many entries in port list (> 15 numbers)' : undefined;
}

const isIp = (v: string) => ipaddr.IPv4.isValidFourPartDecimal(v) || ipaddr.IPv6.isValid(v);

/** An address, or a network as Net::IP takes it: no host bits set under the prefix. */
function isNetIp(v: string): boolean {
  if (!v.includes('/')) return isIp(v);
  if (!ipaddr.isValidCIDR(v) || !isIp(v.split('/')[0]!)) return false;
  const [addr, bits] = ipaddr.parseCIDR(v);
  const net = addr.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(v) : ipaddr.IPv6.networkAddressFromCIDR(v);
  return bits >= 0 && net.toString() === addr.toString();
}

/** Why parse_address_list refuses a source/dest (undefined when it accepts it); `+name` must be a known ipset. */
export function pveAddressProblem(spec: string, ipsets: ReadonlySet<string>): string | undefined {
  const ipset = /^\+(?:guest\/|dc\/)?(\S+)$/.exec(spec);
  if (ipset) return ipsets.has(ipset[1]!.toLowerCase()) ? undefined : `no such ipset '${ipset[1]}'`;
  if (/^(dc\/|guest\/)?[A-Za-z][A-Za-z0-9\-_]+$/.test(spec)) return `alias '${spec}' is not defined by these files`;
  const items = spec.split(',');
  if (items.join(',') !== spec || items.some((i) => i === '')) return 'extraneous commas in list';
  const versions = new Set<number>();
  for (const item of items) {
    const [a, b, extra] = item.split('-');
    const okA = b === undefined ? isNetIp(a!) : isIp(a!);
    if (!okA || (b !== undefined && !isIp(b)) || extra !== undefined) return `invalid IP address '${item}'`;
    versions.add(a!.includes(':') ? 6 : 4);
  }
  if (versions.size > 1) return `mixed IPv4/IPv6 addresses in '${spec}'`;
  if (items.length > 1 && items.some((i) => i.includes('-'))) return "you can't use a range in a list";
  return undefined;
}

/** Reads a firewall file as pve-firewall does; `known` gives the cluster's groups and ipsets when checking a guest or host file. */
export function parsePveFirewall(text: string, env: PveFirewallEnv, known: { groups?: ReadonlySet<string>; ipsets?: ReadonlySet<string> } = {}): PveFirewallFile {
  const options = new Map<string, string>();
  const rules: PveFirewallRule[] = [];
  const groups = new Map<string, PveFirewallRule[]>();
  const ipsets = new Set<string>(known.ipsets ?? []);
  const ipsetEntries = new Map<string, string[]>();
  const aliases = new Map<string, string>();
  const problems: { line: number; message: string }[] = [];
  let section: string | undefined;
  let group: string | undefined;
  const pendingRules: { rule: PveFirewallRule; rest: Map<string, string>; inGroup: boolean }[] = [];
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.replace(/^[ \t]+|[ \t]+$/g, '');
    const problem = (message: string) => problems.push({ line: lineNo, message });
    if (line === '' || line.startsWith('#')) return;
    const head = /^\[(options|aliases|rules)\]$/i.exec(line);
    const named = /^\[(group|ipset)\s+(\S+)\]\s*(?:#\s*(.*?)\s*)?$/i.exec(line);
    if (head || named) {
      const kind = (head?.[1] ?? named![1]!).toLowerCase();
      if (!SECTIONS[env].includes(kind)) return problem(`[${kind}] is not a section of a ${env} firewall file`), void (section = undefined);
      section = kind;
      if (named) {
        const name = named[2]!.toLowerCase();
        const max = kind === 'group' ? GROUP_NAME_MAX : IPSET_NAME_MAX;
        if (name.length > max || !NAME.test(name)) return problem(`invalid ${kind} name '${name}'`), void (section = undefined);
        group = name;
        if (kind === 'group') groups.set(name, []);
        else {
          ipsets.add(name);
          ipsetEntries.set(name, []);
        }
      }
      return;
    }
    if (!section) return problem('skip line - no section');
    if (section === 'options') {
      const m = OPTION_GRAMMAR[env].map((re) => re.exec(line)).find(Boolean);
      if (!m) return problem(`can't parse option '${line}'`);
      options.set(m[1]!.toLowerCase(), m[2]!);
    } else if (section === 'rules' || section === 'group') {
      const parsed = parseRule(line, lineNo);
      if (typeof parsed === 'string') return problem(parsed);
      pendingRules.push({ ...parsed, inGroup: section === 'group' });
      if (section === 'group') groups.get(group!)!.push(parsed.rule);
      else rules.push(parsed.rule);
    } else if (section === 'ipset') {
      const entry = line.replace(/#.*$/, '').trim();
      const cidr = entry.replace(/^!\s*/, '');
      if (!isNetIp(cidr) || /\/0+$/.test(cidr)) problem(`invalid ipset entry '${cidr}'`);
      else ipsetEntries.get(group!)!.push(entry.startsWith('!') ? `!${cidr}` : cidr);
    } else if (section === 'aliases') {
      // parse_alias: the comment off, then a name, one blank, an address or network.
      const m = /^(\S+)\s(\S+)$/.exec(line.replace(/\s*#\s*(.*?)\s*$/, ''));
      if (!m || !NAME.test(m[1]!)) problem(`can't parse alias '${line}'`);
      else if (!isNetIp(m[2]!)) problem(`invalid alias address '${m[2]}'`);
      else aliases.set(m[1]!.toLowerCase(), m[2]!);
    }
  });
  const groupNames = new Set([...(known.groups ?? []), ...groups.keys()]);
  for (const { rule, rest, inGroup } of pendingRules) {
    for (const message of verifyRule(rule, rest, inGroup ? 'group' : env, groupNames, ipsets)) problems.push({ line: rule.line, message });
  }
  return { options, rules, groups, ipsets, aliases, ipsetEntries, problems };
}

/** parse_fw_rule: the comment, the `|` that disables, type and action, then the -flags in its order. */
function parseRule(text: string, line: number): { rule: PveFirewallRule; rest: Map<string, string> } | string {
  let rest = text;
  let comment: string | undefined;
  const c = /#\s*(.*?)\s*$/.exec(rest);
  if (c) {
    comment = c[1];
    rest = rest.slice(0, c.index);
  }
  const enabled = !rest.startsWith('|');
  if (!enabled) rest = rest.slice(1);
  const head = /^(\S+)\s+(\S+)\s*/.exec(rest);
  if (!head) return `unable to parse rule: ${rest}`;
  rest = rest.slice(head[0].length);
  const type = head[1]!.toLowerCase();
  const flags = new Map<string, string>();
  const patterns: [string, RegExp][] = [
    ['iface', /^-i (\S+)\s*/],
    ['proto', /^(?:-p|--?proto) (\S+)\s*/],
    ['dport', /^--?dport (\S+)\s*/],
    ['sport', /^--?sport (\S+)\s*/],
    ['source', /^--?source (\S+)\s*/],
    ['dest', /^--?dest (\S+)\s*/],
    ['log', new RegExp(`^--?log (${LOG_LEVELS})\\s*`)],
    ['icmp-type', /^--?icmp-type (\S+)\s*/],
  ];
  while (rest.length > 0) {
    const hit = patterns.find(([key, re]) => (type !== 'group' || key === 'iface') && re.test(rest));
    if (!hit) break;
    const m = hit[1].exec(rest)!;
    flags.set(hit[0], m[1]!);
    rest = rest.slice(m[0].length);
  }
  if (rest.length > 0) return `unable to parse rule parameters: ${rest}`;
  const rule: PveFirewallRule = { line, type, action: head[2]!, enabled, ...Object.fromEntries(['proto', 'dport', 'source'].filter((k) => flags.has(k)).map((k) => [k, flags.get(k)])), ...(comment !== undefined ? { comment } : {}) };
  return { rule, rest: flags };
}

/** verify_rule, for the parts a rendered file uses; every message is one pve-firewall would log (and skip the rule for). */
function verifyRule(rule: PveFirewallRule, flags: Map<string, string>, env: PveFirewallEnv | 'group', groups: ReadonlySet<string>, ipsets: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (!TYPES[env].includes(rule.type)) out.push(`invalid rule type '${rule.type}' for a ${env === 'group' ? 'security group' : `${env} file`}`);
  if (rule.type === 'group') {
    if (!NAME.test(rule.action)) out.push('invalid characters in security group name');
    else if (!groups.has(rule.action.toLowerCase())) out.push(`no security group '${rule.action}' in cluster.fw`);
  } else if (/^\S+\((ACCEPT|DROP|REJECT)\)$/.test(rule.action)) out.push(`macros are not checked here: write ${rule.action} as plain rules`);
  else if (!/^(ACCEPT|DROP|REJECT)$/.test(rule.action)) out.push(`unknown action '${rule.action}'`);
  else if (rule.type === 'forward' && rule.action === 'REJECT') out.push('cannot define REJECT rules on forward chain');
  const iface = flags.get('iface');
  if (iface !== undefined && (env === 'group' || ((env === 'vm' || env === 'ct') && !/^net\d+$/.test(iface)))) out.push(`interface '${iface}' is not allowed here`);
  const proto = flags.get('proto');
  if (proto !== undefined && !PROTOCOLS.has(proto)) out.push(`unknown protocol '${proto}'`);
  for (const key of ['dport', 'sport'] as const) {
    const ports = flags.get(key);
    if (ports === undefined) continue;
    if (!proto) out.push(`missing property - '${key}' requires a protocol (-p)`);
    else if (!PROTOCOLS_WITH_PORTS.has(proto)) out.push(`protocol '${proto}' does not support ports`);
    const problem = pvePortProblem(ports);
    if (problem) out.push(`${key}: ${problem}`);
  }
  for (const key of ['source', 'dest'] as const) {
    const spec = flags.get(key);
    const problem = spec === undefined ? undefined : pveAddressProblem(spec, ipsets);
    if (problem) out.push(`${key}: ${problem}`);
  }
  return out;
}
