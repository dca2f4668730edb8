import { deployContext, planRelease } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { formatPlan, reportDeployErrors } from '../deploy-output.js';
import { JSON_OPTION } from './common-options.js';
import { deployRequest, targetOptions } from './target-options.js';

export const plan = defineCommand({
  summary: "show what deploy would change on a host: per-file diff, services recreated, the last deploy's record",
  args: '<host>',
  options: { json: JSON_OPTION, ...targetOptions },
  examples: ['homelab plan vm-media', 'homelab plan vm-media --json --address 127.0.0.1 --port 2222'],
  async run(loaded, positionals, values) {
    const json = values.json;
    const request = await deployRequest(loaded, positionals, values, json);
    return reportDeployErrors(json, async () => {
      const result = await planRelease(deployContext(request));
      process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : formatPlan(result));
      return 0;
    });
  },
});
