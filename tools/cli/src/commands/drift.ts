import { driftFinding, driftHost, sortDrift, type Finding, type HostDrift } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { printFindings } from '../output.js';
import { JSON_OPTION } from './common-options.js';
import { hostsToRead, readEachHost, targetOptions } from './target-options.js';

export const drift = defineCommand({
  summary: 'compare what the hosts run with the model: containers, images, release files, guest configurations, datasets; exit 1 when something drifted',
  args: '[host...]',
  options: { json: JSON_OPTION, ...targetOptions },
  examples: ['homelab drift vm-media', 'homelab drift --json', 'homelab drift pve vm-media --json'],
  async run(loaded, positionals, values) {
    const names = hostsToRead(loaded, positionals, values);
    const outcomes = await readEachHost(loaded, names, values, (request) => driftHost({ ...request, hostDirs: loaded.hostDirs }));
    const checked = outcomes.filter((o): o is HostDrift => !('error' in o));
    const failed = outcomes.filter((o) => 'error' in o);
    const findings: Finding[] = [...sortDrift(checked.flatMap((o) => o.items)).map(driftFinding), ...checked.flatMap((o) => o.findings)];
    const hosts = outcomes.map((o) => ('error' in o ? o : { host: o.host, ...(o.release ? { release: o.release } : {}), drifted: o.items.length }));
    if (!values.json) {
      for (const o of failed) process.stderr.write(`error [${o.error.code}]: ${o.host}: ${o.error.message}\n`);
      for (const o of checked) if (o.items.length === 0) process.stdout.write(`${o.host}: no drift${o.release ? ` (release ${o.release})` : ''}\n`);
    }
    // A host that could not be read leaves the answer incomplete: not ok, whatever the others found.
    printFindings(findings, values.json, { ...(failed.length > 0 ? { ok: false } : {}), hosts });
    if (failed.length > 0) return 2;
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
});
