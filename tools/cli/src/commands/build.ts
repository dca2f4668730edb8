import { buildHosts } from '@homelab/kit';
import type { Command } from './index.js';
import { chosenHosts } from './hosts.js';
import { printFindings, summary } from '../output.js';

export const build: Command = {
  summary: 'validate, then render the lab (or the named hosts) into packages/<host>/dist',
  usage: '[host...] [--json]',
  options: { json: { type: 'boolean' } },
  async run(loaded, positionals, values) {
    const hosts = chosenHosts(loaded, positionals);
    const result = buildHosts(loaded, hosts);
    const json = values.json === true;
    printFindings(result.findings, json, { written: result.written });
    if (!json) {
      if (result.written.length > 0) process.stdout.write(`rendered: ${result.written.join(', ')}\n`);
      else process.stdout.write('nothing written: fix the errors above first\n');
    }
    return summary(result.findings).errors > 0 ? 1 : 0;
  },
};
