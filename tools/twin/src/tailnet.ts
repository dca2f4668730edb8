import ipaddr from 'ipaddr.js';
import { TAILNET_MEMBERS } from '@homelab/kit/internal';

/**
 * The tailnet as the twin has it: one member's device behind the lab's subnet router, and in the
 * router's namespace what tailscaled does with the packets that device sends (there is no
 * coordination server and no WireGuard here):
 * - tailscaled's packet filter (tailscale/tailscale wgengine/filter/filter.go, read 2026-12-08):
 *   a packet from the tailnet must be "destined to an IP in localNets" (the routes the node
 *   advertises: ipn/ipnlocal/local.go updateFilterLocked) "and allowed by matches" (the policy's
 *   grants the control plane compiled for the node); anything else is dropped before forwarding;
 * - `--snat-subnet-routes` (Tailscale's default true): forwarded packets leave as the router's
 *   own address, else with the device's 100.x address (cmd/tailscale/cli/up.go, ipn/prefs.go).
 * The routes and the SNAT setting are read from what deploy ran (`tailscale up`, which the
 * stand-in CLI records); the grants from the rendered policy file, as the workflow applies it.
 *
 * The grant fields read, from Tailscale's grants syntax (kb/1538) and headscale's parser
 * (hscontrol/policy/v2/types.go), read 2026-12-08. A member's device is matched by `*` and
 * `autogroup:member`, and by no group, tag, admin autogroup or user (it belongs to a household
 * member named in none). Anything else the stand-in refuses by name rather than guess: an `acls`
 * section, a grant without `ip` (an application grant), a source or destination of a form it does
 * not know, and a protocol other than tcp and udp.
 */

export interface TailnetRule {
  /** A CIDR on the LAN side. */
  readonly dst: string;
  readonly proto: 'tcp' | 'udp' | 'any';
  /** `*`, a port, or `first-last`. */
  readonly ports: string;
}

const IDENTITY = /^(\*|autogroup:[a-z-]+|group:[^\s]+|tag:[A-Za-z][A-Za-z0-9-]*|[^\s@]+@[^\s@]*)$/;
const PORTS = /^(\*|\d+(-\d+)?)$/;
const KNOWN_KEYS = new Set(['grants', 'tagOwners', 'autoApprovers']);

/** The rules a member's device gets from a policy (the parsed file), within the router's routes; throws naming what it does not read. */
export function memberRules(policy: unknown, routes: readonly string[]): TailnetRule[] {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw new Error('the policy is not an object');
  for (const key of Object.keys(policy)) if (!KNOWN_KEYS.has(key)) throw new Error(`the twin's tailnet reads grants, tagOwners and autoApprovers only, not "${key}"`);
  const grants = (policy as { grants?: unknown }).grants ?? [];
  if (!Array.isArray(grants)) throw new Error('grants is not a list');
  const rules: TailnetRule[] = [];
  grants.forEach((g: { src?: unknown; dst?: unknown; ip?: unknown } | null, i) => {
    const at = `grants[${i}]`;
    if (typeof g !== 'object' || g === null || Array.isArray(g)) throw new Error(`${at} is not an object`);
    const list = (v: unknown, field: string): string[] => {
      if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string')) throw new Error(`${at}.${field} is not a list of strings`);
      return v as string[];
    };
    const src = list(g.src, 'src');
    for (const s of src) if (!IDENTITY.test(s)) throw new Error(`${at}.src "${s}" is a source the twin's tailnet does not read`);
    if (g.ip === undefined) throw new Error(`${at} has no ip: an application grant, which the twin's tailnet does not read`);
    const ips = list(g.ip, 'ip');
    if (!src.some((s) => s === '*' || s === TAILNET_MEMBERS)) return;
    const dsts: string[] = [];
    for (const d of list(g.dst, 'dst')) {
      if (d === '*') dsts.push(...routes);
      else if (ipaddr.isValid(d)) dsts.push(`${d}/${ipaddr.parse(d).kind() === 'ipv4' ? 32 : 128}`);
      else if (ipaddr.isValidCIDR(d)) dsts.push(d);
      else if (IDENTITY.test(d)) continue; // a tailnet device (tag, group, user): not the LAN
      else throw new Error(`${at}.dst "${d}" is a destination the twin's tailnet does not read`);
    }
    for (const ip of ips) {
      const m = /^(?:([a-z]+):)?(.+)$/.exec(ip)!;
      const proto = ip === '*' ? 'any' : (m[1] ?? 'any');
      const ports = ip === '*' ? '*' : m[2]!;
      if (proto !== 'tcp' && proto !== 'udp' && proto !== 'any') throw new Error(`${at}.ip "${ip}": the twin's tailnet forwards tcp and udp only`);
      if (!PORTS.test(ports)) throw new Error(`${at}.ip "${ip}" is not a port, a range or *`);
      for (const dst of dsts) for (const cidr of within(dst, routes)) rules.push({ dst: cidr, proto, ports });
    }
  });
  return rules;
}

/** The part of `cidr` inside the routes: itself when a route holds it, the route when it holds the route, else nothing. */
function within(cidr: string, routes: readonly string[]): string[] {
  const [a, bits] = ipaddr.parseCIDR(cidr);
  return routes.flatMap((r) => {
    const [b, rbits] = ipaddr.parseCIDR(r);
    if (a.kind() !== b.kind()) return [];
    if (bits >= rbits && a.match(b, rbits)) return [cidr];
    if (rbits > bits && b.match(a, bits)) return [r];
    return [];
  });
}

/** What `tailscale up` was last run with on the router, from the stand-in CLI's record. */
export function lastUp(record: string): { routes: string[]; tags: string[]; snat: boolean } | undefined {
  const line = record.split('\n').filter((l) => /^tailscale up( |$)/.test(l)).at(-1);
  if (!line) return undefined;
  const flag = (name: string) => line.split(' ').find((w) => w.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = (name: string) => (flag(name) ?? '').split(',').filter(Boolean);
  return { routes: list('advertise-routes'), tags: list('advertise-tags'), snat: flag('snat-subnet-routes') !== 'false' };
}

/**
 * What the control plane makes of the router's `tailscale up` under a policy: a tag the policy's
 * tagOwners does not define is refused ("requested tags [...] are invalid or not permitted": the
 * node does not join), and an advertised route is used only once approved. The twin has no admin
 * to approve one by hand in the console, so a route counts only when `autoApprovers.routes`
 * approves it (a prefix holding it) by one of the node's tags. Returns the approved routes.
 */
export function approvedRoutes(policy: unknown, up: { routes: readonly string[]; tags: readonly string[] }): string[] {
  const p = (typeof policy === 'object' && policy !== null ? policy : {}) as { tagOwners?: Record<string, unknown>; autoApprovers?: { routes?: Record<string, unknown> } };
  const undefinedTags = up.tags.filter((t) => !Object.hasOwn(p.tagOwners ?? {}, t));
  if (undefinedTags.length > 0) throw new Error(`requested tags [${undefinedTags.join(' ')}] are invalid or not permitted: the policy's tagOwners does not define them, so the router does not join the tailnet`);
  const approvers = Object.entries(p.autoApprovers?.routes ?? {});
  return up.routes.filter((route) =>
    approvers.some(([prefix, by]) => ipaddr.isValidCIDR(prefix) && within(route, [prefix]).includes(route) && Array.isArray(by) && by.some((a) => up.tags.includes(a as string))),
  );
}

/**
 * The router's nftables for the tailnet: tailscaled's filter on what `link` receives, forwarded to
 * the LAN or addressed to the router itself (its LAN address is in its routes, so the same grants
 * decide), and SNAT when on.
 */
export function tailnetRuleset(link: string, rules: readonly TailnetRule[], routes: readonly string[], snat: boolean, tailnetRange: string): string {
  const accept = rules.map((r) => {
    const l4 = r.proto === 'any' ? 'meta l4proto { tcp, udp }' : `meta l4proto ${r.proto}`;
    const port = r.ports === '*' ? '' : ` th dport ${r.ports}`;
    return `\t\tiifname "${link}" ip daddr ${r.dst} ${l4}${port} accept`;
  });
  const filter = (hook: 'forward' | 'input') => [
    `\tchain ${hook} {`,
    `\t\ttype filter hook ${hook} priority filter; policy accept;`,
    `\t\tiifname "${link}" ct state established,related accept`,
    ...(routes.length > 0 ? [`\t\tiifname "${link}" ip daddr != { ${routes.join(', ')} } drop`] : [`\t\tiifname "${link}" drop`]),
    ...accept,
    `\t\tiifname "${link}" drop`,
    '\t}',
  ];
  return [
    'table ip twin-tailnet',
    'delete table ip twin-tailnet',
    'table ip twin-tailnet {',
    ...filter('forward'),
    ...filter('input'),
    '\tchain postrouting {',
    '\t\ttype nat hook postrouting priority srcnat; policy accept;',
    ...(snat ? [`\t\tip saddr ${tailnetRange} oifname "eth0" masquerade`] : []),
    '\t}',
    '}',
    '',
  ].join('\n');
}
