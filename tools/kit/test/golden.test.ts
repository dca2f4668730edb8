import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { labMachines, loadLab, manifestJson, renderHost, type LoadedLab } from '../src/internal.js';
import { workspaceRoot } from './support.js';

// Golden files: every rendered artifact of every host is compared byte for byte with
// packages/<host>/test/golden/<path>. Update them with `pnpm test -u` and review the diff.
let loaded: LoadedLab;
beforeAll(async () => {
  loaded = await loadLab(workspaceRoot);
});

function goldenDir(host: string): string {
  return join(loaded.hostDirs.get(host)!, 'test', 'golden');
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('golden files', () => {
  it('covers every host, and every host has golden files', async () => {
    const hosts = labMachines(loaded.lab).map((h) => h.name);
    expect(hosts.length).toBeGreaterThan(0);
    for (const host of hosts) expect(filesUnder(goldenDir(host)), `${host} has no golden files`).not.toEqual([]);
  });

  it('has no golden file without a rendered artifact (orphans)', () => {
    for (const host of labMachines(loaded.lab)) {
      const { artifacts } = renderHost(loaded.lab, host);
      const rendered = new Set([...artifacts.map((a) => a.path), 'manifest.json']);
      const orphans = filesUnder(goldenDir(host.name)).filter((f) => !rendered.has(f));
      expect(orphans, `orphan golden files in packages/${host.name}/test/golden`).toEqual([]);
    }
    const hostDirs = new Set(loaded.hostDirs.values());
    const packagesDir = join(workspaceRoot, 'packages');
    for (const dir of readdirSync(packagesDir)) {
      const golden = join(packagesDir, dir, 'test', 'golden');
      if (existsSync(golden)) expect(hostDirs.has(join(packagesDir, dir)), `${golden} belongs to no host`).toBe(true);
    }
  });

  it('matches every rendered artifact and manifest', async () => {
    for (const host of labMachines(loaded.lab)) {
      const { artifacts, manifest } = renderHost(loaded.lab, host);
      for (const artifact of artifacts) {
        await expect(artifact.content).toMatchFileSnapshot(join(goldenDir(host.name), artifact.path));
      }
      await expect(manifestJson(manifest)).toMatchFileSnapshot(join(goldenDir(host.name), 'manifest.json'));
    }
  });
});
