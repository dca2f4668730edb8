import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { deployRank, inDeployOrder, labMachines, renderedChanges, type LoadedLab } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { terminalProgress } from '../progress.js';
import { BASE_OPTION, JSON_OPTION } from './common-options.js';

/** Nx's first cut: the projects it calls affected since `base` (package names). */
function nxAffected(root: string, base: string): Set<string> {
  const nx = join(root, 'node_modules', '.bin', 'nx');
  if (!existsSync(nx)) throw new UsageError('nx is not installed here; run pnpm install, or pass --no-nx');
  const r = spawnSync(nx, ['show', 'projects', '--affected', `--base=${base}`, '--json'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false' },
  });
  if (r.status !== 0) throw new UsageError(`nx show projects --affected failed: ${r.stderr.trim() || r.stdout.trim()}`);
  return new Set(JSON.parse(r.stdout) as string[]);
}

function packageName(dir: string): string {
  return String((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name);
}

export interface AffectedHost {
  readonly host: string;
  readonly nx: boolean | null;
  readonly rendered: string[];
  readonly deploy: boolean;
  /** Its deploy rank (deployRank): hosts of one rank deploy after every host of the ranks before; a removed host has none. */
  readonly tier: number | null;
}

export async function affectedHosts(loaded: LoadedLab, base: string, useNx: boolean): Promise<AffectedHost[]> {
  const progress = await terminalProgress();
  const changes = await progress.step(`render the lab at ${base} and now`, () => renderedChanges(loaded.root, base));
  const nx = useNx ? await progress.step('ask nx which projects are affected', async () => nxAffected(loaded.root, base)) : undefined;
  const byHost = new Map(changes.map((c) => [c.host, c]));
  const machines = inDeployOrder(labMachines(loaded.lab));
  const current = machines.map((h) => h.name);
  const rankOf = new Map(machines.map((m) => [m.name, deployRank(m)]));
  const gone = changes.filter((c) => c.status === 'removed').map((c) => c.host);
  return [...current, ...gone].map((host) => {
    const change = byHost.get(host);
    const dir = loaded.hostDirs.get(host);
    return {
      host,
      nx: nx ? (dir ? nx.has(packageName(dir)) || nx.has(basename(dir)) : false) : null,
      rendered: change?.files ?? [],
      // A removed host is not undeployed automatically: that stays an explicit, forced act.
      deploy: change !== undefined && (change.status === 'changed' || change.status === 'added'),
      tier: rankOf.get(host) ?? null,
    };
  });
}

export const affected = defineCommand({
  summary: 'per host: affected by Nx, rendered files changed since --base, will deploy',
  options: { base: BASE_OPTION, json: JSON_OPTION, 'no-nx': { type: 'boolean', description: 'skip the Nx project graph; judge by the rendered files alone' } },
  examples: ['homelab affected --base origin/main', 'homelab affected --base HEAD~1 --json --no-nx'],
  async run(loaded, _positionals, values) {
    const base = values.base;
    if (!base) throw new UsageError('--base <ref> is required (e.g. --base origin/main or --base HEAD~1)');
    const hosts = await affectedHosts(loaded, base, !values['no-nx']);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ base, hosts, deploy: hosts.filter((h) => h.deploy).map((h) => h.host) }, null, 2)}\n`);
      return 0;
    }
    for (const h of hosts) {
      const nx = h.nx === null ? '' : h.nx ? 'nx: affected  ' : 'nx: -         ';
      process.stdout.write(`${h.host.padEnd(10)} ${nx}rendered: ${h.rendered.length ? h.rendered.join(', ') : 'unchanged'}${h.deploy ? '  -> deploy' : ''}\n`);
    }
    const deploy = hosts.filter((h) => h.deploy).map((h) => h.host);
    process.stdout.write(`will deploy, in order: ${deploy.length ? deploy.join(', ') : 'nothing'}\n`);
    return 0;
  },
});
