import { firewallPolicy, type Lab } from '@homelab/kit';
import type { TwinNode } from '../namespaces.js';
import type { ProbeLog } from '../probe.js';
import { fail } from '../probe.js';
import type { StackService } from './stack.js';

/** How long a connection may take before it counts as dropped (HOMELAB_TWIN_CONNECT_SECONDS). */
const CONNECT_SECONDS = Number(process.env.HOMELAB_TWIN_CONNECT_SECONDS ?? 5);

/** A small program for `node -e`: tries every address:port at once, prints `{ "a:p": true|false }`. */
const CONNECT_ALL = `
const net = require('node:net');
const targets = JSON.parse(process.argv[1]);
const ms = Number(process.argv[2]) * 1000;
Promise.all(targets.map((t) => new Promise((done) => {
  const s = net.connect({ host: t.split(':')[0], port: Number(t.split(':')[1]) });
  const end = (ok) => { s.destroy(); done([t, ok]); };
  s.setTimeout(ms, () => end(false));
  s.once('connect', () => end(true));
  s.once('error', () => end(false));
}))).then((r) => console.log(JSON.stringify(Object.fromEntries(r))));
`;

/** From one node, which of `targets` (address:port) accept a TCP connection. */
export async function connectAll(from: TwinNode, targets: readonly string[]): Promise<Record<string, boolean>> {
  if (targets.length === 0) return {};
  const r = await from.execNet([process.execPath, '-e', CONNECT_ALL, JSON.stringify(targets), String(CONNECT_SECONDS)]);
  if (r.code !== 0) throw new Error(`twin: connecting from ${from.host}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, boolean>;
}

interface PortCase {
  readonly machine: string;
  readonly address: string;
  readonly port: number;
  readonly lan: boolean;
  readonly proxy: boolean;
  readonly why: string;
}

/**
 * Probe 7: the lab's firewall policy as the twin enforces it (nftables in each namespace). From
 * the LAN client, only the declared entry points answer; every other published TCP port is
 * dropped there and answers from the proxy's host. UDP ports and port ranges cannot be told
 * open from dropped by a connection: the report says so.
 */
export async function probeFirewall(log: ProbeLog, lab: Lab, client: TwinNode, proxy: TwinNode, stacks: ReadonlyMap<string, readonly StackService[]>, up: ReadonlySet<string>, notes: string[]): Promise<void> {
  const policy = firewallPolicy(lab);
  const cases: PortCase[] = [];
  for (const { machine, flows } of policy.machines) {
    if (!up.has(machine.name)) continue;
    const ports = new Set<number>();
    for (const f of flows) if (f.protocol === 'tcp' && /^\d+$/.test(f.port)) ports.add(Number(f.port));
    for (const p of publishedTcp(stacks.get(machine.name) ?? [])) ports.add(p);
    for (const port of ports) {
      const mine = flows.filter((f) => f.protocol === 'tcp' && f.port === String(port));
      const lan = mine.some((f) => f.from === 'lan');
      const proxyOk = lan || mine.some((f) => f.from !== 'lan' && f.from.includes(proxy.host));
      cases.push({ machine: machine.name, address: machine.address, port, lan, proxy: proxyOk, why: mine.map((f) => f.owner).join(', ') || 'no flow' });
    }
  }
  const targets = cases.map((c) => `${c.address}:${c.port}`);
  const [fromClient, fromProxy] = await Promise.all([connectAll(client, targets), connectAll(proxy, targets)]);
  for (const c of cases) {
    const t = `${c.address}:${c.port}`;
    await log.check(c.machine, 'firewall', `${t} (${c.why}): ${c.lan ? 'answers' : 'blocked'} from the LAN client, ${c.proxy ? 'answers' : 'blocked'} from ${proxy.host}`, () => {
      if (fromClient[t] !== c.lan) fail(`from the LAN client ${t} ${fromClient[t] ? 'answers but the policy blocks it' : 'does not answer, though the policy lets the LAN in (nothing listens, or the firewall drops it)'}`);
      if (fromProxy[t] !== c.proxy) fail(`from ${proxy.host} ${t} ${fromProxy[t] ? 'answers but the policy blocks it' : 'does not answer, though the policy lets it in'}`);
    });
  }
  notes.push('firewall: the policy is loaded as nftables (nftablesRuleset) in each machine\'s namespace, in the place of the Proxmox firewall; only single TCP ports are probed (UDP and ranges cannot be told open from dropped by a connection)');
}

function publishedTcp(stack: readonly StackService[]): number[] {
  return stack.flatMap((s) => s.published.filter((p) => p.protocol === 'tcp' && /^\d+$/.test(p.port)).map((p) => Number(p.port)));
}
