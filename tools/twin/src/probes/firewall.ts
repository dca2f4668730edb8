import { firewallPolicy, sourceAddresses, type FirewallFlow, type Lab } from '@homelab/kit/internal';
import type { ExecResult, TwinNode } from '../namespaces.js';
import { fail, type ProbeLog } from '../probe.js';
import type { StackService } from './stack.js';

/** How long a connection may take before it counts as dropped (HOMELAB_TWIN_CONNECT_SECONDS). */
const CONNECT_SECONDS = Number(process.env.HOMELAB_TWIN_CONNECT_SECONDS ?? 5);

/** What a connection attempt met: an answer, a refusal (the firewall let it through, nothing listens), or silence (dropped). */
export type Reach = 'open' | 'refused' | 'dropped';

/** A small program for `node -e`: tries every address:port at once, prints `{ "a:p": "open" | "refused" | "dropped" }`. */
const CONNECT_ALL = `
const net = require('node:net');
const targets = JSON.parse(process.argv[1]);
const ms = Number(process.argv[2]) * 1000;
const local = process.argv[3] ? { localAddress: process.argv[3] } : {};
Promise.all(targets.map((t) => new Promise((done) => {
  const s = net.connect({ host: t.split(':')[0], port: Number(t.split(':')[1]), ...local });
  const end = (r) => { s.destroy(); done([t, r]); };
  s.setTimeout(ms, () => end('dropped'));
  s.once('connect', () => end('open'));
  s.once('error', (e) => end(e.code === 'ECONNREFUSED' ? 'refused' : 'dropped'));
}))).then((r) => console.log(JSON.stringify(Object.fromEntries(r))));
`;

/** From one node, what a TCP connection to each of `targets` (address:port) meets; from `source` when given (an address the node holds). */
export async function connectAll(from: TwinNode, targets: readonly string[], source?: string): Promise<Record<string, Reach>> {
  return connectAllIn((argv) => from.execNet(argv), from.host, targets, source);
}

/** The same, with `run` running node in the network namespace to connect from (a node's, a container's). */
export async function connectAllIn(run: (argv: readonly string[]) => Promise<ExecResult>, what: string, targets: readonly string[], source?: string): Promise<Record<string, Reach>> {
  if (targets.length === 0) return {};
  const r = await run([process.execPath, '-e', CONNECT_ALL, JSON.stringify(targets), String(CONNECT_SECONDS), ...(source ? [source] : [])]);
  if (r.code !== 0) throw new Error(`twin: connecting from ${what}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, Reach>;
}

/** One published TCP port of a machine of the twin, and the flows that let clients in to it. */
export interface TcpPort {
  readonly machine: string;
  readonly address: string;
  readonly port: number;
  readonly flows: readonly FirewallFlow[];
  readonly why: string;
  /** What listens here does not run in the twin (pveproxy, the kernel's NFS server): a refusal shows the firewall let it through. */
  readonly absent: boolean;
}

/** Every single TCP port the policy opens or a stack publishes on the machines that are up. */
export function tcpPorts(lab: Lab, stacks: ReadonlyMap<string, readonly StackService[]>, up: ReadonlySet<string>, absent: ReadonlySet<string>): TcpPort[] {
  const out: TcpPort[] = [];
  for (const { machine, flows } of firewallPolicy(lab).machines) {
    if (!up.has(machine.name)) continue;
    const ports = new Set<number>();
    for (const f of flows) if (f.protocol === 'tcp' && /^\d+$/.test(f.port)) ports.add(Number(f.port));
    for (const p of publishedTcp(stacks.get(machine.name) ?? [])) ports.add(p);
    for (const port of ports) {
      const mine = flows.filter((f) => f.protocol === 'tcp' && f.port === String(port));
      out.push({ machine: machine.name, address: machine.address, port, flows: mine, why: mine.map((f) => f.owner).join(', ') || 'no flow', absent: mine.length > 0 && mine.every((f) => absent.has(f.owner)) });
    }
  }
  return out;
}

interface PortCase extends TcpPort {
  readonly lan: boolean;
  readonly proxy: boolean;
}

/**
 * Probe 7: the lab's firewall policy as the twin enforces it (nftables in each namespace). From
 * the LAN client, only the declared entry points answer; every other published TCP port is
 * dropped there and answers from the proxy's host. UDP ports and port ranges cannot be told
 * open from dropped by a connection: the report says so.
 */
export async function probeFirewall(log: ProbeLog, lab: Lab, client: TwinNode, proxy: TwinNode, stacks: ReadonlyMap<string, readonly StackService[]>, up: ReadonlySet<string>, absent: ReadonlySet<string>, notes: string[]): Promise<void> {
  const cases: PortCase[] = tcpPorts(lab, stacks, up, absent).map((c) => {
    const everyone = c.flows.some((f) => f.from === 'lan');
    // The client is the plan's CI runner (an admin device): it reaches what the LAN reaches and management.
    const lan = everyone || c.flows.some((f) => f.from !== 'lan' && sourceAddresses(lab, f.from).includes(client.address));
    // A machine reaches its own ports (loopback): the proxy's host is judged only on the others'.
    const proxyOk = everyone || c.machine === proxy.host || c.flows.some((f) => f.from !== 'lan' && f.from.includes(proxy.host));
    return { ...c, lan, proxy: proxyOk };
  });
  const targets = cases.map((c) => `${c.address}:${c.port}`);
  const [fromClient, fromProxy] = await Promise.all([connectAll(client, targets), connectAll(proxy, targets)]);
  for (const c of cases) {
    const t = `${c.address}:${c.port}`;
    await log.check(c.machine, 'firewall', `${t} (${c.why}): ${c.lan ? 'answers' : 'blocked'} from the LAN client, ${c.proxy ? 'answers' : 'blocked'} from ${proxy.host}`, () => {
      const judge = (from: string, reach: Reach | undefined, allowed: boolean) => {
        if (!allowed && reach !== 'dropped') fail(`from ${from} ${t} ${reach === 'open' ? 'answers' : 'is refused (it passed the firewall)'}, but the policy blocks it`);
        if (allowed && reach === 'dropped') fail(`from ${from} ${t} is dropped, though the policy lets it in`);
        if (allowed && reach === 'refused' && !c.absent) fail(`from ${from} ${t} passes the firewall but nothing listens there`);
      };
      judge('the LAN client', fromClient[t], c.lan);
      judge(proxy.host, fromProxy[t], c.proxy);
      if (c.absent && (fromClient[t] === 'refused' || fromProxy[t] === 'refused')) return `passes the firewall; ${c.why} does not run in the twin, so nothing answers`;
    });
  }
  notes.push('firewall: the policy is loaded as nftables (nftablesRuleset) in each machine\'s namespace, in the place of the Proxmox firewall; only single TCP ports are probed (UDP and ranges cannot be told open from dropped by a connection)');
}

function publishedTcp(stack: readonly StackService[]): number[] {
  return stack.flatMap((s) => s.published.filter((p) => p.protocol === 'tcp' && /^\d+$/.test(p.port)).map((p) => Number(p.port)));
}

/** What one actor's connections met, judged per machine against what the threat model lets it reach. */
export interface ReachJudgement {
  readonly targets: readonly TcpPort[];
  readonly reach: Readonly<Record<string, Reach>>;
  /** Why the connections could not be made: every check fails with it. */
  readonly error?: string;
  /** Whether the actor may reach the port. */
  readonly may: (t: TcpPort) => boolean;
  /** The check's name, from what is expected ("only 80, 443 answer", "nothing answers"). */
  readonly name: (expect: string) => string;
  /** Why a port the actor reached must not be reached. */
  readonly blocked: (t: TcpPort) => string;
  /** What lets the actor reach a port it may (for a port found dropped). */
  readonly allowed: string;
}

/** One check per target machine: the ports the actor may reach answer (or pass, where nothing runs in the twin), the others are dropped. */
export async function checkReachByMachine(log: ProbeLog, j: ReachJudgement): Promise<void> {
  for (const machine of [...new Set(j.targets.map((t) => t.machine))]) {
    const mine = j.targets.filter((t) => t.machine === machine);
    const allowed = mine.filter(j.may);
    const expect = allowed.length === 0 ? 'nothing answers' : `only ${allowed.map((t) => t.port).join(', ')} answer${allowed.length === 1 ? 's' : ''}`;
    await log.check(machine, 'firewall', j.name(expect), () => {
      if (j.error) fail(j.error);
      const wrong: string[] = [];
      for (const t of mine) {
        const target = `${t.address}:${t.port}`;
        const r = j.reach[target];
        const ok = allowed.includes(t);
        if (!ok && r !== 'dropped') wrong.push(`${target} (${t.why}) ${r === 'open' ? 'answers' : 'is refused (it passed the firewall)'}, but ${j.blocked(t)}`);
        if (ok && r === 'dropped') wrong.push(`${target} (${t.why}) is dropped, though ${j.allowed}`);
        if (ok && r === 'refused' && !t.absent) wrong.push(`${target} (${t.why}) passes the firewall but nothing listens there`);
      }
      if (wrong.length > 0) fail(wrong.join('; '));
    });
  }
}
