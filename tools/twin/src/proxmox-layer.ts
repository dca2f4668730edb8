import type { TwinLab } from './lab.js';
import type { TwinNetwork, TwinNode } from './namespaces.js';
import type { ProbeLog } from './probe.js';
import type { NodeSshd } from './sshd.js';

/** What the twin's Proxmox node gives the runner: its sshd, the pool's paths, its probes and calls. */
export interface ProxmoxLayer {
  readonly sshd: NodeSshd;
  /** Where a path on the node (a dataset's mountpoint, /tank/...) is in this machine's own mount namespace. */
  nodePathOnMachine(nodePath: string): string;
  /** DNS, shares and storage probes (from the LAN client where a client would ask). */
  probe(log: ProbeLog, client: TwinNode): Promise<void>;
  /** Every pct/qm/pveam/pvesm call deploy made, in order. */
  calls(): string[];
  /** What stood in for what, for the report. */
  notes(): string[];
  teardown(): Promise<void>;
}

export interface ProxmoxLayerOptions {
  readonly network: TwinNetwork;
  readonly lab: TwinLab;
  readonly authorizedKeys: string;
  readonly offsiteAddress: string;
  readonly deployKey: string;
}

export async function startProxmoxLayer(_options: ProxmoxLayerOptions): Promise<ProxmoxLayer> {
  throw new Error('twin: the Proxmox layer is not wired in yet');
}
