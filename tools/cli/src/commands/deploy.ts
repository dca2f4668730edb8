import { deployHost } from '@homelab/kit';
import type { Command } from './index.js';
import { formatPlan, reportDeployErrors } from '../deploy-output.js';
import { deployRequest, TARGET_USAGE, targetOptions } from './target-options.js';

export const deploy: Command = {
  summary: 'apply dist/ to a host: upload a release, switch, compose up, wait for health; roll back on failure',
  usage: `<host> [--dry-run] [--wait SECONDS] [--force] ${TARGET_USAGE}`,
  options: { 'dry-run': { type: 'boolean' }, wait: { type: 'string' }, force: { type: 'boolean' }, ...targetOptions },
  async run(loaded, positionals, values) {
    const request = await deployRequest(loaded, positionals, values);
    return reportDeployErrors(false, async () => {
      const result = await deployHost({ ...request, dryRun: values['dry-run'] === true });
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
};
