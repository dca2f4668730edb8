import { findingsFor, validateLab } from '@homelab/kit';
import type { Command } from './index.js';
import { chosenHosts } from './hosts.js';
import { printFindings, summary } from '../output.js';

export const validate: Command = {
  summary: 'check the lab (or the named hosts) against every layer',
  usage: '[host...] [--json]',
  options: { json: { type: 'boolean' } },
  async run(loaded, positionals, values) {
    const hosts = chosenHosts(loaded, positionals);
    const findings = findingsFor(validateLab(loaded.lab), hosts);
    printFindings(findings, values.json === true);
    return summary(findings).errors > 0 ? 1 : 0;
  },
};
