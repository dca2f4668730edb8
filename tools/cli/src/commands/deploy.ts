import { deployHost } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { formatPlan, reportDeployErrors } from '../deploy-output.js';
import { reply } from '../output.js';
import { JSON_OPTION } from './common-options.js';
import { deployRequest, targetOptions, WAIT_OPTION } from './target-options.js';

export const deploy = defineCommand({
  summary: 'apply dist/ to a host: upload a release, switch, compose up, wait for health; roll back on failure',
  args: '<host>',
  options: {
    'dry-run': { type: 'boolean', description: 'show the plan and what would stop the deploy; change nothing' },
    wait: WAIT_OPTION,
    json: JSON_OPTION,
    force: { type: 'boolean', description: 'deploy even when the host runs a release this checkout did not make (or its lock is stale)' },
    ...targetOptions,
  },
  examples: ['homelab deploy vm-media --dry-run', 'homelab deploy vm-media --wait 300', 'homelab deploy vm-media --json'],
  async run(loaded, positionals, values) {
    const request = await deployRequest(loaded, positionals, values);
    return reportDeployErrors(values.json, async () => {
      const result = await deployHost({ ...request, dryRun: values['dry-run'] });
      if (result.outcome === 'dry-run') {
        const stops = result.problems ?? [];
        reply(values.json, stops.length === 0, { ...result }, `${formatPlan(result.plan!)}${stops.map((p) => `\nthe deploy would stop: ${p}\n`).join('')}\ndry run: nothing was changed on ${result.host}.\n`);
        return stops.length ? 1 : 0;
      }
      const said = result.outcome === 'unchanged' ? `unchanged (release ${result.release})` : `deployed release ${result.release}${result.previous ? ` (was ${result.previous})` : ''}`;
      reply(values.json, true, { ...result }, `${result.host}: ${said}\n`);
      return 0;
    });
  },
});
