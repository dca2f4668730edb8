/** The network plan: one subnet, ranges per device class, and the static addresses. */
export interface AddressRange {
  readonly first: string;
  readonly last: string;
}

export interface StaticAddress<C extends string = string> {
  readonly class: C;
  readonly address: string;
}

export interface NetworkPlan<C extends string = string, N extends string = string> {
  /** CIDR of the LAN, e.g. 192.168.0.0/24. */
  readonly subnet: string;
  readonly gateway: string;
  /** Resolvers handed to hosts (the lab's own DNS first). */
  readonly nameservers: readonly string[];
  /** The Proxmox bridge guests attach to. */
  readonly bridge: string;
  /** Which addresses each device class may use. */
  readonly ranges: Readonly<Record<C, AddressRange>>;
  /** Every static address of the lab, by the name of the device that holds it. */
  readonly addresses: Readonly<Record<N, StaticAddress<NoInfer<C>>>>;
  /**
   * The devices that manage the lab, by their name in `addresses` (the CI runner that deploys, the
   * admin's workstation): SSH and the Proxmox web UI are open from these only, not the whole subnet.
   * Without it, management is open to the LAN (mgmt-open-to-lan).
   */
  readonly admins?: readonly NoInfer<N>[];
}

export function defineNetworkPlan<const C extends string, const N extends string>(
  plan: NetworkPlan<C, N>,
): NetworkPlan<C, N> & { addressOf(name: N): string } {
  return {
    ...plan,
    addressOf(name: N): string {
      return plan.addresses[name].address;
    },
  };
}

/** The prefix length of the plan's subnet (24 for a /24). */
export function prefixLength(plan: NetworkPlan): number {
  return Number(plan.subnet.split('/')[1]);
}
