import { restoreService } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { reportDeployErrors } from '../deploy-output.js';
import { reply } from '../output.js';
import { JSON_OPTION } from './common-options.js';
import { UsageError } from '../errors.js';
import { deployRequest, targetOptions, WAIT_OPTION } from './target-options.js';

export const restore = defineCommand({
  summary: "copy a service's folders back from a ZFS snapshot on the Proxmox node (stop, rsync, start)",
  args: '<host>/<service>',
  options: {
    snapshot: { type: 'string', value: 'NAME', description: 'the snapshot to restore from (the part after @); an unknown name lists the ones there are' },
    'dry-run': { type: 'boolean', description: 'say which folders come back from where, and what stops meanwhile; change nothing' },
    wait: WAIT_OPTION,
    json: JSON_OPTION,
    ...targetOptions,
  },
  examples: ['homelab restore vm-media/sonarr --snapshot autosnap_2026-11-26_00:00:01_daily --dry-run', 'homelab restore vm-apps/nextcloud --snapshot autosnap_2026-11-26_00:00:01_daily'],
  async run(loaded, positionals, values) {
    const [spec, ...rest] = positionals;
    const m = /^([^/]+)\/([^/]+)$/.exec(spec ?? '');
    if (!m || rest.length > 0) throw new UsageError('name one service as <host>/<service>, e.g. vm-media/sonarr');
    const snapshot = values.snapshot;
    if (typeof snapshot !== 'string' || snapshot === '') throw new UsageError('--snapshot NAME is required (the part after @; --dry-run with any name lists the ones there are)');
    const request = await deployRequest(loaded, [m[1]!], values);
    return reportDeployErrors(values.json, async () => {
      const result = await restoreService(request, { service: m[2]!, snapshot, dryRun: values['dry-run'] === true });
      const lines = result.folders.map((f) => `  ${f.from}/ -> ${f.to}/`);
      const text = result.dryRun
        ? `dry run: ${result.host}/${result.service} would come back from @${result.snapshot} on ${result.node}:\n${lines.join('\n')}\nstopped meanwhile: ${result.stopped.join(', ')}\non ${result.node}:\n${result.nodeScripts.join('\n')}\n`
        : `${result.host}/${result.service}: restored from @${result.snapshot} on ${result.node}\n${lines.join('\n')}\n`;
      reply(values.json, true, { ...result }, text);
      return 0;
    });
  },
});
