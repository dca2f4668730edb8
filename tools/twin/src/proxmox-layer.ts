import type { TwinLab } from './lab.js';
import type { TwinNetwork, TwinNode } from './namespaces.js';
import type { ProbeLog } from './probe.js';
import type { NodeSshd } from './sshd.js';
import { startProxmoxNode, type ProxmoxTwin } from './proxmox/node.js';
import { dnsProbes, setSmbTestPasswords, shareProbes } from './lxc/probes.js';
import { storageProbes } from './storage/probes.js';
import { rebootProbes, storageCfgProbes } from './proxmox/node-probes.js';

/** What the twin's Proxmox node gives the runner: its sshd, the pool's paths, its probes and calls. */
export interface ProxmoxLayer {
  readonly sshd: NodeSshd;
  readonly twin: ProxmoxTwin;
  /** Where a path on the node (a dataset's mountpoint, /tank/...) is in this machine's own mount namespace. */
  nodePathOnMachine(nodePath: string): string;
  /** DNS and the shares, from the LAN client; each probe's name after `prefix: ` when given ("after the reboot"). */
  probeServices(log: ProbeLog, client: TwinNode, prefix?: string): Promise<void>;
  /** The pool, the dataset plan, sanoid, syncoid, the restore drill and the node's storage.cfg. */
  probeStorage(log: ProbeLog): Promise<void>;
  /** The node's reboot: each unit that ran before, on the node or in a container, runs again. */
  probeReboot(log: ProbeLog): Promise<void>;
  /** Every pct/qm/pveam/pvesm call deploy made, in order. */
  calls(): string[];
  /** What stood in for what, for the report. */
  notes(): string[];
  teardown(): Promise<void>;
}

export interface ProxmoxLayerOptions {
  readonly network: TwinNetwork;
  readonly lab: TwinLab;
  /** The deploy key's public half (an authorized_keys file). */
  readonly authorizedKeys: string;
  readonly offsiteAddress: string;
}

/**
 * The Proxmox node, its containers' namespaces, the pools and the offsite node (proxmox/node.ts),
 * with the test logins of the lab's Samba users stored before anything is deployed.
 */
export async function startProxmoxLayer(o: ProxmoxLayerOptions): Promise<ProxmoxLayer> {
  const logins = await setSmbTestPasswords(o.lab);
  const pve = await startProxmoxNode(o.network, o.lab, { twinDir: o.network.dir, authorizedKeys: o.authorizedKeys, offsiteAddress: o.offsiteAddress });
  return {
    sshd: pve.sshd,
    twin: pve,
    nodePathOnMachine: (nodePath) => `${pve.poolMountRoot}${nodePath}`,
    async probeServices(log, client, prefix) {
      for (const r of [...(await dnsProbes(o.lab, client)), ...(await shareProbes(o.lab, pve, client, logins))]) log.add(prefix ? { ...r, name: `${prefix}: ${r.name}` } : r);
    },
    async probeStorage(log) {
      for (const r of [...(await storageProbes(o.lab, pve)), ...(await storageCfgProbes(o.lab, pve))]) log.add(r);
    },
    async probeReboot(log) {
      for (const r of await rebootProbes(pve, o.lab.loaded.lab.hosts)) log.add(r);
    },
    calls: () => pve.calls(),
    notes: () => [...pve.notes, ...pve.storage.mappings().map((m) => `zfs-fuse mapping: ${m}`)],
    teardown: async () => pve.teardown(),
  };
}
