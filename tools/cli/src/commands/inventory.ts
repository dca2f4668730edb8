import { labInventory, type Inventory, type InventoryHost } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { JSON_OPTION } from './common-options.js';
import { chosenHosts } from './hosts.js';
import { printDatasetInventory } from './inventory-datasets.js';
import { UsageError } from '../errors.js';

function gib(mib: number): string {
  return `${Number((mib / 1024).toFixed(1))} GiB`;
}

function hostBlock(host: InventoryHost): string[] {
  const head = `${host.name}  ${host.kind} ${host.vmid} on ${host.node}  ${host.address}  ${host.cores} cores  ${gib(host.memoryMiB)} RAM  ${host.diskGiB} GiB disk`;
  const width = Math.max(0, ...host.services.map((s) => s.name.length));
  const services = host.services.map((s) => {
    const exposed = [
      ...s.ports,
      ...s.allocations.map((a) => `${a} (allocated)`),
      ...(s.route ? [`${s.route.url} -> :${s.route.port} (${s.route.access})`] : []),
    ];
    return `    ${s.name.padEnd(width)}  ${s.image}${s.runtime === 'kubernetes' ? '  (k3s)' : ''}${exposed.length > 0 ? `\n    ${' '.repeat(width)}    ${exposed.join(', ')}` : ''}`;
  });
  const daemons = host.daemons.length > 0 ? [`  daemons: ${host.daemons.map((d) => (d.name === d.kind ? d.name : `${d.name} (${d.kind})`)).join(', ')}`] : [];
  const stack = host.services.length > 0 ? [`  services (${host.services.length}):`, ...services] : [];
  const cluster = host.kubernetes ? [`  kubernetes: ${host.kubernetes.distribution} ${host.kubernetes.version}, namespace ${host.kubernetes.namespace}, runs ${host.services.filter((s) => s.runtime === 'kubernetes').map((s) => s.name).join(', ') || 'nothing yet'}`] : [];
  return [head, `  datasets: ${host.datasets.join(', ') || '-'}`, ...daemons, ...cluster, ...stack, ''];
}

/** The inventory for a person: a summary line, then a block per host. */
export function formatInventory(inv: Inventory): string {
  const t = inv.totals;
  const summary = `${inv.lab}: ${inv.hosts.length} hosts, ${t.cores} cores, ${gib(t.memoryMiB)} RAM, ${t.diskGiB} GiB disk; routes under .${inv.domain}`;
  return [summary, '', ...inv.hosts.flatMap(hostBlock)].join('\n');
}

export const inventory = defineCommand({
  summary: 'every host with its vmid, address, size, datasets and services; --datasets: the dataset tree',
  args: '[host...]',
  options: { json: JSON_OPTION, datasets: { type: 'boolean', description: 'the ZFS dataset tree instead of the hosts (takes no host names)' } },
  examples: ['homelab inventory', 'homelab inventory vm-media --json', 'homelab inventory --datasets'],
  async run(loaded, positionals, values) {
    if (values.datasets) {
      if (positionals.length > 0) throw new UsageError(`inventory --datasets takes no host names (got ${positionals.join(' ')})`);
      return printDatasetInventory(loaded, values.json);
    }
    const hosts = chosenHosts(loaded, positionals);
    const all = labInventory(loaded.lab);
    const inv = hosts.length > 0 ? { ...all, hosts: all.hosts.filter((h) => hosts.includes(h.name)) } : all;
    process.stdout.write(values.json ? `${JSON.stringify(inv, null, 2)}\n` : formatInventory(inv));
    return 0;
  },
});
