import { MANAGEMENT_OWNERS, type HostDef } from '@homelab/kit/internal';
import { execArgv } from '../namespaces.js';
import type { ProbeLog } from '../probe.js';
import type { TwinVm } from '../vm.js';
import { containerOf } from './containers.js';
import { checkReachByMachine, connectAllIn, type Reach, type TcpPort } from './firewall.js';
import type { StackService } from './stack.js';

/**
 * The foothold probe (issue 27, "a compromised container on each VM"; docs/security.md): from
 * inside one container of a VM that is not the proxy's host, every published TCP port of every
 * other machine. The container's connections leave with its VM's address (Docker masquerades),
 * so the threat model's answer is what the firewall lets that VM in: the LAN entry points and
 * what the model opens to the VM by name; and never management (SSH on any machine, the node's
 * web UI and API), whatever the flows say, since a VM is no admin device. The answer is taken
 * from that rule, not from the rendered policy alone, so a policy that opens management to the
 * LAN fails here while the policy's own probe agrees with it.
 *
 * The container is the VM's most exposed one: the first with a public route (Jellyfin, Immich),
 * else the first with a network of its own. Its own VM's ports are left out: they are reached
 * through the Docker bridge, which no firewall of the lab sees (an accepted risk, docs/security.md).
 */
export async function probeFoothold(log: ProbeLog, host: HostDef, vm: TwinVm, stack: readonly StackService[], ports: readonly TcpPort[]): Promise<string | undefined> {
  const foothold = footholdService(host, stack);
  if (!foothold) return undefined;
  const targets = ports.filter((p) => p.machine !== host.name);
  const from = `a container of ${host.name} (${foothold})`;
  let reach: Record<string, Reach> = {};
  let why: string | undefined;
  try {
    const id = await containerOf(vm, foothold);
    const pid = id ? (await vm.docker(['inspect', '--format', '{{.State.Pid}}', id])).stdout.trim() : '';
    if (!/^[1-9]\d*$/.test(pid)) throw new Error(`${foothold} has no running container on ${host.name}`);
    reach = await connectAllIn((argv) => execArgv(['nsenter', `--net=/proc/${pid}/ns/net`, '--', ...argv]), from, targets.map((t) => `${t.address}:${t.port}`));
  } catch (e) {
    why = (e as Error).message;
  }
  await checkReachByMachine(log, {
    targets,
    reach,
    ...(why ? { error: why } : {}),
    may: (t) => mayReach(t, host.name),
    name: (expect) => `from ${from}: ${expect}, never management`,
    blocked: (t) => (t.flows.some((f) => MANAGEMENT_OWNERS.has(f.owner)) ? 'it is management, which no VM may reach (the admin devices only: network.admins)' : `the threat model lets ${host.name} reach only the LAN entry points and what is opened to it by name`),
    allowed: `${host.name} may reach it`,
  });
  return `firewall: from inside ${from}, every published TCP port of the other machines, judged by the threat model (the LAN entry points and what is opened to ${host.name} by name; management never)`;
}

/** Whether a VM's container may reach a port: a non-management flow from the LAN or naming the VM. */
function mayReach(port: TcpPort, host: string): boolean {
  return port.flows.some((f) => !MANAGEMENT_OWNERS.has(f.owner) && (f.from === 'lan' || f.from.includes(host)));
}

/** The VM's most exposed container: the first with a public route, else the first with a network of its own. */
export function footholdService(host: HostDef, stack: readonly StackService[]): string | undefined {
  const own = new Set(stack.filter((s) => !s.networkMode || !/^(host|none)$|^(service|container):/.test(s.networkMode)).map((s) => s.name));
  const isPublic = (s: HostDef['services'][number]) => typeof s.route?.access === 'object';
  return host.services.find((s) => own.has(s.name) && isPublic(s))?.name ?? host.services.find((s) => own.has(s.name))?.name;
}
