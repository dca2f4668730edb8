import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { daemonsOf, MANAGEMENT_OWNERS, parseHujson, TAILNET_RANGE, tailnetPolicyPath, type HostDef } from '@homelab/kit/internal';
import type { TwinNetwork, TwinNode } from '../namespaces.js';
import { fail, type ProbeLog } from '../probe.js';
import { approvedRoutes, lastUp, memberRules, tailnetRuleset } from '../tailnet.js';
import { checkReachByMachine, connectAll, type Reach, type TcpPort } from './firewall.js';

/** The tailnet device's address and its router's end of the tunnel (Tailscale's CGNAT range). */
const DEVICE = '100.64.0.2';
const ROUTER_END = '100.64.0.1';
const LINK = 'tailscale0';
/** A tailnet's policy before anyone applies one: every device to every device and route (kb/1337, the default policy), as a grant. */
const TAILSCALE_DEFAULT = { grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }] };

/**
 * The tailnet probe (issue 27, "from a tailnet namespace: only what the policy grants";
 * docs/security.md): a member's device behind the lab's subnet router (tailnet.ts says what stands
 * in for Tailscale) connects to every published TCP port of every other machine. The threat
 * model's answer comes from the model's grants, not from the rendered file: the ports the granted
 * services open to the LAN answer, and nothing else; management never. Then the same connections
 * under Tailscale's default policy, which the tailnet has until the lab's is applied: the probe
 * must find ports there that the grants do not give (shown to fail where the policy is missing).
 */
export async function probeTailnet(log: ProbeLog, network: TwinNetwork, router: TwinNode, routerHost: HostDef, routerDist: string, ports: readonly TcpPort[]): Promise<string | undefined> {
  const ts = daemonsOf(routerHost, 'tailscale')[0];
  if (!ts) return undefined;
  // The router's own ports too: tailscaled filters what is addressed to it as it filters what it forwards.
  const targets = ports;
  const granted = (p: TcpPort) => p.flows.some((f) => f.from === 'lan' && !MANAGEMENT_OWNERS.has(f.owner) && (ts.grants ?? []).some((g) => g.host === p.machine && g.service === f.owner));
  const from = `a tailnet device through ${routerHost.name}`;
  let lab: Record<string, Reach> = {};
  let open: Record<string, Reach> = {};
  let why: string | undefined;
  let note: string | undefined;
  try {
    const record = await router.exec(['cat', '/var/log/twin/tailscale.args']);
    if (record.code !== 0 && !/No such file/.test(record.stderr)) throw new Error(`reading what tailscale ran on ${routerHost.name}: ${record.stderr.trim()}`);
    const up = lastUp(record.stdout);
    if (!up) throw new Error(`no \`tailscale up\` ran on ${routerHost.name}: the node has not joined the tailnet`);
    const forwarding = (await router.execNet(['cat', '/proc/sys/net/ipv4/ip_forward'])).stdout.trim();
    const policy = parseHujson(readFileSync(join(routerDist, tailnetPolicyPath(ts)), 'utf8'));
    // The routes the device is given: those the policy approves (Tailscale's default approves none).
    const routes = approvedRoutes(policy, up);
    const device = network.nodes.get('tailnet-device') ?? network.addPeer('tailnet-device', DEVICE, router, { name: LINK, address: ROUTER_END, routes });
    const connect = async (p: unknown) => {
      const r = await router.execNet(['nft', '-f', '-'], { input: tailnetRuleset(LINK, memberRules(p, routes), routes, up.snat, TAILNET_RANGE) });
      if (r.code !== 0) throw new Error(`loading the tailnet's filter into ${routerHost.name}: ${r.stderr.trim()}`);
      return connectAll(device, targets.map((t) => `${t.address}:${t.port}`));
    };
    try {
      lab = await connect(policy);
      // The default policy with the lab's route approved (by hand, in the console): every device to it.
      open = await connect(TAILSCALE_DEFAULT);
    } finally {
      // The device stays (its namespace goes with the twin), with nothing forwarded for it.
      const removed = await router.execNet(['nft', 'delete', 'table', 'ip', 'twin-tailnet']);
      if (removed.code !== 0) throw new Error(`removing the tailnet's filter from ${routerHost.name}: ${removed.stderr.trim()}`);
    }
    note = `tailnet: a member's device at ${DEVICE} behind ${routerHost.name}'s ${LINK} (a veth in the place of WireGuard); in ${routerHost.name}, tailscaled's filter as nftables, compiled from the rendered ${tailnetPolicyPath(ts)} (grants only; tailnet.ts names what it refuses) within the routes deploy's \`tailscale up\` advertised and the policy's autoApprovers approve by the router's tags (${routes.join(', ') || 'none'}; the tags must be in tagOwners), SNAT ${up.snat ? 'on' : 'off'} as it said, IP forwarding ${forwarding === '1' ? 'on' : 'OFF'} from the deployed sysctl file`;
  } catch (e) {
    why = (e as Error).message;
  }
  await checkReachByMachine(log, {
    targets,
    reach: lab,
    ...(why ? { error: why } : {}),
    may: granted,
    name: (expect) => `from ${from}: ${expect}, as the tailnet policy grants`,
    blocked: (t) => (t.flows.some((f) => MANAGEMENT_OWNERS.has(f.owner)) ? 'it is management, which no tailnet device may reach' : `no grant of ${routerHost.name}'s Tailscale gives it`),
    allowed: 'the model grants it to the tailnet',
  });
  await log.check(routerHost.name, 'firewall', `the tailnet probe fails under Tailscale's default policy (every device to every route), which the tailnet has until the lab's is applied`, () => {
    if (why) fail(why);
    const extra = targets.filter((t) => !granted(t) && open[`${t.address}:${t.port}`] !== 'dropped');
    if (extra.length === 0) fail('under the default policy, too, nothing but the granted ports answered: the probe above could not fail where the policy is missing');
    return `${extra.length} port(s) the grants do not give answer then: ${extra.map((t) => `${t.address}:${t.port} (${t.why})`).join(', ')}`;
  });
  return note;
}
