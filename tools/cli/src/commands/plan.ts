import { deployContext, planRelease } from '@homelab/kit';
import type { Command } from './index.js';
import { formatPlan, reportDeployErrors } from '../deploy-output.js';
import { deployRequest, TARGET_USAGE, targetOptions } from './target-options.js';

export const plan: Command = {
  summary: "show what deploy would change on a host: per-file diff, services recreated, the last deploy's record",
  usage: `<host> [--json] ${TARGET_USAGE}`,
  options: { json: { type: 'boolean' }, ...targetOptions },
  async run(loaded, positionals, values) {
    const json = values.json === true;
    const request = await deployRequest(loaded, positionals, values, json);
    return reportDeployErrors(json, async () => {
      const result = await planRelease(deployContext(request));
      process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : formatPlan(result));
      return 0;
    });
  },
};
