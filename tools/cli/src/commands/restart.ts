import { serviceRestart } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { reportDeployErrors } from '../deploy-output.js';
import { UsageError } from '../errors.js';
import { serviceRequest } from './service-ref.js';
import { targetOptions } from './target-options.js';

export const restart = defineCommand({
  summary: 'restart a service (its container, its deployment, or its unit) and wait until it runs healthy again; changes no release',
  args: '<[host/]service>',
  options: { ...targetOptions },
  examples: ['homelab restart vm-media/sonarr', 'homelab restart lxc-dns/adguard'],
  async run(loaded, positionals, values) {
    if (positionals.length > 1) throw new UsageError(`name one service; got ${positionals.join(' ')}`);
    return reportDeployErrors(false, async () => {
      const { service, request } = await serviceRequest(loaded, positionals[0], values);
      const s = await serviceRestart(request, service);
      process.stdout.write(`${s.host}/${s.service}: restarted, ${s.state}${s.health ? `, ${s.health}` : ''}\n`);
      return 0;
    });
  },
});
