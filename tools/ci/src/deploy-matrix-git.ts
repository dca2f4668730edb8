import { spawnSync } from 'node:child_process';
import { deployedTag, deployMatrix, type DeployJob } from './deploy-matrix.js';

function run(cwd: string, command: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { ok: r.status === 0, out: r.stdout ?? '', err: r.stderr ?? '' };
}

interface Affected {
  readonly hosts: readonly { host: string; deploy: boolean; tier: number | null }[];
}

function affected(cwd: string, base: string): Affected | null {
  const r = run(cwd, 'node', ['tools/cli/bin/homelab.mjs', 'affected', '--base', base, '--json', '--no-nx']);
  return r.ok ? (JSON.parse(r.out) as Affected) : null;
}

/** The deploy jobs for the checkout in `cwd` (full history and the deployed/* tags fetched). */
export function deployMatrixHere(cwd: string): DeployJob[] {
  const now = affected(cwd, 'HEAD');
  if (!now) throw new Error('homelab affected --base HEAD failed: is the lab built?');
  const order = now.hosts.flatMap((h) => (h.tier === null ? [] : [{ host: h.host, tier: h.tier }]));
  const deployed = new Map<string, string>();
  for (const { host } of order) {
    const r = run(cwd, 'git', ['rev-parse', '--verify', '--quiet', `refs/tags/${deployedTag(host)}^{commit}`]);
    if (r.ok) deployed.set(host, r.out.trim());
  }
  return deployMatrix({
    order,
    deployed,
    changedSince: (base) => {
      const a = affected(cwd, base);
      return a ? new Set(a.hosts.filter((h) => h.deploy).map((h) => h.host)) : null;
    },
  });
}
