import { findingsFor, validateLab } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { chosenHosts } from './hosts.js';
import { printFindings, summary } from '../output.js';
import { JSON_OPTION, VERBOSE_OPTION } from './common-options.js';

export const validate = defineCommand({
  summary: 'check the lab (or the named hosts) against every layer',
  args: '[host...]',
  options: { json: JSON_OPTION, verbose: VERBOSE_OPTION },
  examples: ['homelab validate', 'homelab validate vm-media --json'],
  async run(loaded, positionals, values) {
    const hosts = chosenHosts(loaded, positionals);
    const findings = findingsFor(validateLab(loaded.lab), hosts);
    printFindings(findings, values.json, {}, values.verbose);
    return summary(findings).errors > 0 ? 1 : 0;
  },
});
