import { type DeployRequest, hostContextTarget, nodeTarget, type ResolvedTarget, openSession, type Session } from '../deploy/index.js';
import { isProxmoxHost } from '../model/proxmox-host.js';
import { commandLine } from '../shell/quote.js';
import type { LabService } from './services.js';

/**
 * How the commands for one service reach it: the machine a session is opened to (the host over
 * SSH, or its Proxmox node for a container deployed with `pct`), and the prefix that runs a
 * command inside the guest from there (`pct exec <vmid> --`), if any.
 */
export interface ServiceReach {
  readonly target: ResolvedTarget;
  readonly prefix: readonly string[];
}

export function serviceReach(request: DeployRequest, service: LabService): ServiceReach {
  const env = request.env ?? process.env;
  const machine = request.host;
  if (isProxmoxHost(machine)) return { target: hostContextTarget(request), prefix: [] };
  if (service.kind === 'unit' && service.on === 'node') return { target: nodeTarget(request.lab, machine, env), prefix: [] };
  const target = hostContextTarget(request);
  return { target, prefix: target.via === 'proxmox' ? ['pct', 'exec', String(machine.vmid), '--'] : [] };
}

/** The command line that runs `argv` where the service lives. */
export function commandFor(reach: ServiceReach, argv: readonly string[]): string {
  return commandLine([...reach.prefix, ...argv]);
}

/** Opens one session per machine the services need (the host, its node), each once. */
export class Sessions {
  private readonly open = new Map<string, Promise<Session>>();

  constructor(private readonly host: string) {}

  get(target: ResolvedTarget): Promise<Session> {
    const key = `${target.user}@${target.address}:${target.port}`;
    let s = this.open.get(key);
    if (!s) {
      s = openSession(target, this.host);
      s.catch(() => {});
      this.open.set(key, s);
    }
    return s;
  }

  async closeAll(): Promise<void> {
    for (const s of this.open.values()) await s.then((x) => x.close(), () => {});
    this.open.clear();
  }
}
