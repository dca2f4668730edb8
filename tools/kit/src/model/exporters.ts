import { daemonsOf } from './daemon.js';
import type { Lab } from './lab.js';
import { nodeExporterPort, type NodeExporterDef } from './node-exporter.js';
import { labMachines } from './proxmox-host.js';

/**
 * A metrics endpoint a machine's own init runs (not a Compose service): node-exporter in an LXC
 * (one of its `daemons`) or on a Proxmox host (its `nodeExporter`). Prometheus scrapes it at the
 * machine's address; the firewall lets only the metrics store's host in.
 */
export interface MachineExporter {
  /** The machine (an LXC or a Proxmox host) by name. */
  readonly machine: string;
  readonly address: string;
  readonly exporter: NodeExporterDef;
  readonly port: number;
  readonly path: '/metrics';
  /** The model field it comes from (host/daemon or host/nodeExporter). */
  readonly field: string;
}

/** Every machine exporter of the lab, sorted by machine name. */
export function machineExporters(lab: Lab): MachineExporter[] {
  const out: MachineExporter[] = [];
  for (const m of labMachines(lab)) {
    const exporters: { exporter: NodeExporterDef; field: string }[] =
      m.kind === 'pve'
        ? m.nodeExporter ? [{ exporter: m.nodeExporter, field: `${m.name}/nodeExporter` }] : []
        : daemonsOf(m, 'node-exporter').map((d) => ({ exporter: d, field: `${m.name}/${d.name}` }));
    for (const { exporter, field } of exporters) out.push({ machine: m.name, address: m.address, exporter, port: nodeExporterPort(exporter), path: '/metrics', field });
  }
  return out;
}
