import type { NetworkPlan } from '@homelab/kit';

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

/** The plan's subnet as base address and prefix length. */
export function subnetOf(plan: NetworkPlan): { base: number; prefix: number } {
  const [addr, len] = plan.subnet.split('/');
  const prefix = Number(len);
  const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
  return { base: (toInt(addr!) & mask) >>> 0, prefix };
}

/**
 * `count` addresses for the twin's own nodes (the LAN client, the offsite target): the highest
 * host addresses of the subnet that the plan neither assigns nor reserves in a range.
 */
export function freeAddresses(plan: NetworkPlan, count: number): string[] {
  const { base, prefix } = subnetOf(plan);
  const taken = new Set(Object.values(plan.addresses).map((a) => toInt(a.address)));
  const inRange = (n: number) => Object.values(plan.ranges).some((r) => n >= toInt(r.first) && n <= toInt(r.last));
  const out: string[] = [];
  for (let n = base + 2 ** (32 - prefix) - 2; n > base && out.length < count; n--) {
    if (!taken.has(n) && !inRange(n)) out.push(toIp(n));
  }
  if (out.length < count) throw new Error(`twin: the subnet ${plan.subnet} has no ${count} free addresses for the twin's own nodes`);
  return out;
}
