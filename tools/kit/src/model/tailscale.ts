import type { SecretRef } from './secret.js';
import type { NoUnknownFields } from './service.js';

export interface TailscaleSpec {
  readonly name: string;
  /** Subnets this node routes for the tailnet (CIDRs, e.g. the lab's LAN). */
  readonly advertiseRoutes: readonly string[];
  /** Offer this node as an exit node. */
  readonly advertiseExitNode?: boolean;
  /** Take DNS settings from the tailnet; a subnet router in the lab keeps the LAN's resolvers (false). */
  readonly acceptDns: boolean;
  /** Masquerade routed traffic as this node (Tailscale's default); false keeps client source addresses. */
  readonly snatSubnetRoutes?: boolean;
  /** ACL tags the node advertises (each `tag:<name>`); the auth key must be allowed to set them. */
  readonly advertiseTags?: readonly string[];
  /**
   * What a device of the tailnet may reach through this router: services of the lab, by host and
   * name, each on the ports it opens to the LAN. The tailnet policy (`tailnet-policy.hujson`)
   * grants these to the tailnet's members and nothing else; tailscaled enforces it on this node
   * before it forwards a packet to the LAN (wgengine/filter).
   */
  readonly grants?: readonly TailnetGrant[];
  /** A pre-authentication key, used once to join the tailnet; the node keeps its identity afterwards. */
  readonly authKey: SecretRef;
  /** tailscaled's UDP port (Tailscale's default 41641), fixed so a firewall can allow it. */
  readonly port?: number;
}

/** A lab service a tailnet device may reach: on `host`, the ports `service` opens to the LAN. */
export interface TailnetGrant {
  readonly host: string;
  readonly service: string;
  /** Why a device away from home needs it (a comment in the policy file). */
  readonly reason: string;
}

export interface TailscaleDef extends TailscaleSpec {
  readonly kind: 'tailscale';
}

/** Tailscale as a subnet router in an LXC: `export default defineTailscale({...})`. */
export function defineTailscale<const S extends TailscaleSpec>(spec: NoUnknownFields<S, TailscaleSpec>): S & { readonly kind: 'tailscale' } {
  return { ...spec, kind: 'tailscale' };
}
