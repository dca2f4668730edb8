import { rollbackHost } from '@homelab/kit';
import type { Command } from './index.js';
import { reportDeployErrors } from '../deploy-output.js';
import { deployRequest, TARGET_USAGE, targetOptions } from './target-options.js';

export const rollback: Command = {
  summary: 're-apply the release a host ran before its current one',
  usage: `<host> [--wait SECONDS] ${TARGET_USAGE}`,
  options: { wait: { type: 'string' }, ...targetOptions },
  async run(loaded, positionals, values) {
    const request = await deployRequest(loaded, positionals, values);
    return reportDeployErrors(false, async () => {
      const result = await rollbackHost(request);
      process.stdout.write(`${result.host}: rolled back to release ${result.release} (was ${result.from})\n`);
      return 0;
    });
  },
};
