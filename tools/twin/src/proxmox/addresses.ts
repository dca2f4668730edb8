import type { NetworkPlan } from '@homelab/kit';

const toInt = (a: string): number => a.split('.').reduce((n, b) => n * 256 + Number(b), 0);
const toAddress = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/**
 * `count` addresses of the lab's subnet that no device, range or resolver of the plan uses,
 * from the top down: for the twin's own nodes (the LAN client, the offsite target).
 */
/** The addresses of the plan's admin devices (network.admins), in their order. */
export function adminAddresses(plan: NetworkPlan): string[] {
  const byName = plan.addresses as Readonly<Record<string, { address: string }>>;
  return (plan.admins ?? []).flatMap((name) => (byName[name] ? [byName[name].address] : []));
}

export function spareAddresses(plan: NetworkPlan, count: number): string[] {
  const [base, bits] = plan.subnet.split('/');
  const size = 2 ** (32 - Number(bits));
  const first = toInt(base!);
  const used = new Set([plan.gateway, ...plan.nameservers, ...Object.values(plan.addresses).map((a) => a.address)].map(toInt));
  const ranges = Object.values(plan.ranges).map((r) => [toInt(r.first), toInt(r.last)] as const);
  const out: string[] = [];
  for (let n = first + size - 2; n > first && out.length < count; n--) {
    if (!used.has(n) && !ranges.some(([a, b]) => n >= a && n <= b)) out.push(toAddress(n));
  }
  if (out.length < count) throw new Error(`twin: the subnet ${plan.subnet} has no ${count} spare address(es)`);
  return out;
}
