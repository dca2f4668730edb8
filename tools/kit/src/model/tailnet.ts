import ipaddr from 'ipaddr.js';
import { firewallPolicy, MANAGEMENT_OWNERS } from './firewall.js';
import type { Lab } from './lab.js';
import type { TailnetGrant, TailscaleDef } from './tailscale.js';

/**
 * A tag Tailscale accepts: `tag:`, an ASCII letter, then letters, digits and dashes
 * (tailscale/tailscale tailcfg/tailcfg.go `CheckTag`, read 2026-12-08).
 */
export const TAILNET_TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;

/** Whom the policy grants the router's destinations: every user of the tailnet, not shared-in users or tagged devices. */
export const TAILNET_MEMBERS = 'autogroup:member';

/** One grant of a router's model, resolved to an address and the `proto:ports` it opens to the LAN. */
export interface ResolvedTailnetGrant {
  readonly grant: TailnetGrant;
  readonly index: number;
  readonly address?: string;
  /** Tailscale's `ip` entries: `tcp:443`, `udp:53`, `tcp:25565-25664`. */
  readonly ip: readonly string[];
  /** Why it grants nothing, for the validator. */
  readonly problem?: { readonly code: 'tailnet-grant-unknown' | 'tailnet-grant-unrouted'; readonly message: string };
}

/** Whether `address` is inside one of the router's advertised routes. */
export function inRoutes(address: string, routes: readonly string[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  const a = ipaddr.parse(address);
  return routes.some((r) => {
    if (!ipaddr.isValidCIDR(r)) return false;
    const range = ipaddr.parseCIDR(r);
    return range[0].kind() === a.kind() && a.match(range);
  });
}

/**
 * Each grant of a subnet router: the granted machine's address and the ports its service opens to
 * the whole LAN (the firewall's `lan` flows of that owner). Management (SSH, the node's web UI) is
 * never among them: it is open to the admin devices only, and a tailnet device is not one.
 */
export function resolveTailnetGrants(lab: Lab, ts: TailscaleDef): ResolvedTailnetGrant[] {
  const machines = new Map(firewallPolicy(lab).machines.map((m) => [m.machine.name, m] as const));
  return (ts.grants ?? []).map((grant, index): ResolvedTailnetGrant => {
    const m = machines.get(grant.host);
    if (!m) return { grant, index, ip: [], problem: { code: 'tailnet-grant-unknown', message: `${grant.host} is no machine of the lab (${[...machines.keys()].join(', ')})` } };
    const flows = m.flows.filter((f) => f.from === 'lan' && f.owner === grant.service && !MANAGEMENT_OWNERS.has(f.owner));
    const address = m.machine.address;
    if (flows.length === 0) {
      const lanOwners = [...new Set(m.flows.filter((f) => f.from === 'lan' && !MANAGEMENT_OWNERS.has(f.owner)).map((f) => f.owner))];
      const why = MANAGEMENT_OWNERS.has(grant.service)
        ? `${grant.service} is management, open to the admin devices only (network.admins); a tailnet device is none`
        : `${grant.service} opens no port of ${grant.host} to the LAN (what it opens to the LAN: ${lanOwners.join(', ') || 'nothing'})`;
      return { grant, index, address, ip: [], problem: { code: 'tailnet-grant-unknown', message: why } };
    }
    const ip = [...new Set(flows.map((f) => `${f.protocol}:${f.port}`))].sort();
    if (!inRoutes(address, ts.advertiseRoutes)) {
      return { grant, index, address, ip, problem: { code: 'tailnet-grant-unrouted', message: `${grant.host} (${address}) is outside the routes ${ts.name} advertises (${ts.advertiseRoutes.join(', ') || 'none'}): no tailnet device reaches it through this router` } };
    }
    return { grant, index, address, ip };
  });
}
