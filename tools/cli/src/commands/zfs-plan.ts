import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { printableCommand, formatZfsPlan, planZfs, poolHost, wantedLayout, zfsPlanCommands, type ZfsOutputs } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { JSON_OPTION } from './common-options.js';
import { UsageError } from '../errors.js';

/**
 * The dataset plan from captured outputs: run the commands it names on the Proxmox host, save
 * each output under its file name in one folder, and point --from at it. (`homelab plan pve`
 * runs the same commands over SSH and the same planZfs.)
 */
export const zfsPlan = defineCommand({
  summary: 'plan the Proxmox host\'s datasets from captured `zfs list`/`zfs get` outputs (--from <dir>)',
  args: '[host]',
  options: { from: { type: 'string', value: 'DIR', description: 'the folder holding the captured outputs (without it, the commands to capture are printed)' }, json: JSON_OPTION },
  examples: ['homelab zfs-plan --from ./captured', 'homelab zfs-plan pve --from ./captured --json'],
  async run(loaded, positionals, values) {
    const node = poolHost(loaded.lab);
    if (!node) throw new UsageError('the lab has no Proxmox host package that holds the pool (packages/pve)');
    if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== node.name)) {
      throw new UsageError(`zfs-plan plans the datasets of ${node.name}, the host that holds pool ${node.pool}`);
    }
    const commands = zfsPlanCommands(wantedLayout(loaded.lab.facts.zfs));
    const from = values.from;
    if (typeof from !== 'string') {
      const how = commands.map((c) => `  ${printableCommand(c.argv)} > ${c.file}`).join('\n');
      throw new UsageError(`--from <dir> is required: on ${node.name}, capture\n${how}\nthen run homelab zfs-plan --from <that folder>`);
    }
    const outputs: Record<string, string> = {};
    for (const c of commands) {
      const file = join(resolve(from), c.file);
      if (!existsSync(file)) throw new UsageError(`${file} is missing: capture it on ${node.name} with: ${printableCommand(c.argv)} > ${c.file}`);
      outputs[c.name] = readFileSync(file, 'utf8');
    }
    const plan = planZfs(wantedLayout(loaded.lab.facts.zfs), outputs as ZfsOutputs, node.name);
    process.stdout.write(values.json ? `${JSON.stringify(plan, null, 2)}\n` : formatZfsPlan(plan));
    return plan.findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
});
