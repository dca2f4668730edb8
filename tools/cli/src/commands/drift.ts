import { driftFinding, driftHost, isDeployError, labMachines, sortDrift, type Finding, type HostDrift } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { printFindings } from '../output.js';
import { JSON_OPTION } from './common-options.js';
import { chosenHosts } from './hosts.js';
import { deployRequest, targetOptions } from './target-options.js';

type HostOutcome = HostDrift | { readonly host: string; readonly error: { readonly code: string; readonly message: string } };

export const drift = defineCommand({
  summary: 'compare what the hosts run with the model: containers, images, release files, guest configurations, datasets; exit 1 when something drifted',
  args: '[host...]',
  options: { json: JSON_OPTION, ...targetOptions },
  examples: ['homelab drift vm-media', 'homelab drift --json', 'homelab drift pve vm-media --json'],
  async run(loaded, positionals, values) {
    const names = positionals.length > 0 ? chosenHosts(loaded, positionals) : labMachines(loaded.lab).map((h) => h.name);
    const overridden = Object.keys(targetOptions).filter((k) => values[k as keyof typeof targetOptions] !== undefined);
    if (overridden.length > 0 && names.length !== 1) throw new UsageError(`--${overridden[0]} names how to reach one host: name exactly one host with it`);
    const outcomes: HostOutcome[] = [];
    for (const name of names) {
      const request = await deployRequest(loaded, [name], values, true);
      try {
        outcomes.push(await driftHost({ ...request, hostDirs: loaded.hostDirs }));
      } catch (e) {
        if (!isDeployError(e)) throw e;
        outcomes.push({ host: name, error: { code: e.code, message: e.message } });
      }
    }
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
