import { datasetInventory, formatDatasetInventory, labMachines, type LoadedLab } from '@homelab/kit';
import type { Command } from './index.js';
import { UsageError } from '../errors.js';

interface Row {
  name: string;
  kind: string;
  address: string;
  node: string;
  vmid?: number;
  services?: string[];
}

function machines(loaded: LoadedLab): Row[] {
  return labMachines(loaded.lab).map((m): Row =>
    m.kind === 'pve'
      ? { name: m.name, kind: m.kind, address: m.address, node: m.node }
      : { name: m.name, kind: m.kind, address: m.address, vmid: m.vmid, node: m.node ?? loaded.lab.facts.proxmox.defaultNode, services: m.services.map((s) => s.name).sort() },
  );
}

/** `homelab inventory --datasets`: the pool's tree, for a person or (json) as one document. */
export function printDatasetInventory(loaded: LoadedLab, json: boolean): number {
  const inv = datasetInventory(loaded.lab);
  process.stdout.write(json ? `${JSON.stringify(inv, null, 2)}\n` : formatDatasetInventory(inv));
  return 0;
}

/** Until the hosts' inventory command lands: hosts in one line each, and --datasets. */
export const inventory: Command = {
  summary: 'list the lab: hosts, or with --datasets the dataset tree (properties, snapshots, replication, users)',
  usage: '[--datasets] [--json]',
  options: { datasets: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(loaded, positionals, values) {
    if (positionals.length > 0) throw new UsageError(`inventory takes no host names (got ${positionals.join(' ')})`);
    const json = values.json === true;
    if (values.datasets === true) return printDatasetInventory(loaded, json);
    const list = machines(loaded);
    if (json) process.stdout.write(`${JSON.stringify({ hosts: list }, null, 2)}\n`);
    else for (const m of list) process.stdout.write(`${m.name.padEnd(10)} ${m.kind.padEnd(4)} ${m.address.padEnd(15)} ${m.services ? m.services.join(', ') : 'datasets: homelab inventory --datasets'}\n`);
    return 0;
  },
};
