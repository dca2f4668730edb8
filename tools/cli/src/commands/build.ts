import { buildHosts } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { chosenHosts } from './hosts.js';
import { printFindings, summary } from '../output.js';
import { terminalProgress } from '../progress.js';
import { JSON_OPTION, VERBOSE_OPTION } from './common-options.js';

export const build = defineCommand({
  summary: 'validate, then render the lab (or the named hosts) into packages/<host>/dist',
  args: '[host...]',
  options: { json: JSON_OPTION, verbose: VERBOSE_OPTION },
  examples: ['homelab build', 'homelab build vm-media vm-edge'],
  async run(loaded, positionals, values) {
    const hosts = chosenHosts(loaded, positionals);
    const progress = await terminalProgress();
    const result = await progress.step(`validate and render ${hosts.length > 0 ? hosts.join(', ') : 'every host'}`, async () => buildHosts(loaded, hosts));
    const json = values.json;
    printFindings(result.findings, json, { written: result.written }, values.verbose);
    if (!json) {
      if (result.written.length > 0) process.stdout.write(`rendered: ${result.written.join(', ')}\n`);
      else process.stdout.write('nothing written: fix the errors above first\n');
    }
    return summary(result.findings).errors > 0 ? 1 : 0;
  },
});
