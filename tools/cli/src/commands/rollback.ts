import { rollbackHost } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { reportDeployErrors } from '../deploy-output.js';
import { reply } from '../output.js';
import { JSON_OPTION } from './common-options.js';
import { deployRequest, targetOptions, WAIT_OPTION } from './target-options.js';

export const rollback = defineCommand({
  summary: 're-apply the release a host ran before its current one',
  args: '<host>',
  options: { wait: WAIT_OPTION, json: JSON_OPTION, ...targetOptions },
  examples: ['homelab rollback vm-media', 'homelab rollback vm-media --wait 300'],
  async run(loaded, positionals, values) {
    const request = await deployRequest(loaded, positionals, values);
    return reportDeployErrors(values.json, async () => {
      const result = await rollbackHost(request);
      reply(values.json, true, { ...result }, `${result.host}: rolled back to release ${result.release} (was ${result.from})\n`);
      return 0;
    });
  },
});
