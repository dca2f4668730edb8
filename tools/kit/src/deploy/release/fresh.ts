import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { distFiles } from '../../emit/build.js';
import type { Lab } from '../../model/lab.js';
import type { Machine } from '../../model/proxmox-host.js';
import { DeployError } from '../../common/errors.js';

function filesBelow(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesBelow(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/**
 * The files of dist/ that differ from what the lab at hand renders for the host now (changed,
 * missing, or left over), sorted. A build restored from a cache whose inputs missed a change
 * (another host's route, a moved service) shows here, however consistent dist/ is with its manifest.
 */
export function staleDistFiles(lab: Lab, host: Machine, distDir: string): string[] {
  const fresh = new Map(distFiles(lab, host).map((f) => [f.path, f.content]));
  const stale = new Set<string>();
  for (const [path, content] of fresh) {
    const file = join(distDir, path);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== content) stale.add(path);
  }
  for (const path of filesBelow(distDir)) if (!fresh.has(path)) stale.add(path);
  return [...stale].sort();
}

/** Refuses (`dist-stale`) a dist/ that is not a fresh render of the lab at hand, naming the files. */
export function checkDistFresh(lab: Lab, host: Machine, distDir: string): void {
  const stale = staleDistFiles(lab, host, distDir);
  if (stale.length === 0) return;
  throw new DeployError(
    'dist-stale',
    `${host.name}'s dist/ is not what the lab at hand renders for it (${stale.map((p) => `dist/${p}`).join(', ')}): rebuild with \`nx run ${host.name}:build\` (or pnpm build), then deploy.`,
  );
}
