import { deployHost } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { formatPlan, reportDeployErrors } from '../deploy-output.js';
import { deployRequest, targetOptions, WAIT_OPTION } from './target-options.js';

export const deploy = defineCommand({
  summary: 'apply dist/ to a host: upload a release, switch, compose up, wait for health; roll back on failure',
  args: '<host>',
  options: {
    'dry-run': { type: 'boolean', description: 'show the plan and what would stop the deploy; change nothing' },
    wait: WAIT_OPTION,
    force: { type: 'boolean', description: 'deploy even when the host runs a release this checkout did not make (or its lock is stale)' },
    ...targetOptions,
  },
  examples: ['homelab deploy vm-media --dry-run', 'homelab deploy vm-media --wait 300'],
  async run(loaded, positionals, values) {
    const request = await deployRequest(loaded, positionals, values);
    return reportDeployErrors(false, async () => {
      const result = await deployHost({ ...request, dryRun: values['dry-run'] });
      if (result.outcome === 'dry-run') {
        process.stdout.write(formatPlan(result.plan!));
        for (const p of result.problems ?? []) process.stdout.write(`\nthe deploy would stop: ${p}\n`);
        process.stdout.write(`\ndry run: nothing was changed on ${result.host}.\n`);
        return result.problems?.length ? 1 : 0;
      }
      if (result.outcome === 'unchanged') process.stdout.write(`${result.host}: unchanged (release ${result.release})\n`);
      else process.stdout.write(`${result.host}: deployed release ${result.release}${result.previous ? ` (was ${result.previous})` : ''}\n`);
      return 0;
    });
  },
});
