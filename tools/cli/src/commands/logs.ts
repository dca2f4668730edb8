import { serviceLogs } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { reportDeployErrors } from '../deploy-output.js';
import { UsageError } from '../errors.js';
import { serviceRequest } from './service-ref.js';
import { targetOptions } from './target-options.js';

export const logs = defineCommand({
  summary: "print a service's log (its container's, its deployment's, or its unit's journal), wherever the model runs it",
  args: '<[host/]service>',
  options: {
    follow: { type: 'boolean', short: 'f', description: 'keep printing new lines until interrupted' },
    since: { type: 'string', value: 'DURATION', description: 'only lines from the last 30s, 10m, 2h...' },
    tail: { type: 'string', value: 'LINES', description: 'only the last LINES lines' },
    ...targetOptions,
  },
  examples: ['homelab logs vm-media/sonarr --since 1h', 'homelab logs sonarr --follow', 'homelab logs lxc-dns/adguard --tail 50'],
  async run(loaded, positionals, values) {
    if (positionals.length > 1) throw new UsageError(`name one service; got ${positionals.join(' ')}`);
    const tail = values.tail;
    if (tail !== undefined && !/^\d+$/.test(tail)) throw new UsageError(`--tail takes a whole number of lines; got "${tail}"`);
    return reportDeployErrors(false, async () => {
      const { service, request } = await serviceRequest(loaded, positionals[0], values);
      return serviceLogs(request, service, { follow: values.follow, ...(values.since ? { since: values.since } : {}), ...(tail !== undefined ? { tail: Number(tail) } : {}) }, { stdout: process.stdout, stderr: process.stderr });
    });
  },
});
