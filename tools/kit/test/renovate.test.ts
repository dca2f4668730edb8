import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImage } from '../src/validate/rules/image.js';
import { workspaceRoot } from './support.js';

interface RegexManager {
  managerFilePatterns: string[];
  matchStrings: string[];
}

const config = JSON.parse(readFileSync(join(workspaceRoot, 'renovate.json'), 'utf8')) as { customManagers: RegexManager[] };
const manager = config.customManagers[0]!;
// Renovate writes file patterns as /regex/ strings.
const filePattern = new RegExp(manager.managerFilePatterns[0]!.slice(1, -1));
const match = new RegExp(manager.matchStrings[0]!, 'g');

function serviceFiles(): string[] {
  const files: string[] = [];
  for (const pkg of readdirSync(join(workspaceRoot, 'packages'))) {
    const dir = join(workspaceRoot, 'packages', pkg, 'src', 'services');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) files.push(`packages/${pkg}/src/services/${f}`);
  }
  return files;
}

// Renovate's custom manager must find every image the lab runs, with the same name and tag the
// kit reads, or a service would silently never be updated.
describe('Renovate custom manager', () => {
  it('covers every service file', () => {
    const files = serviceFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(filePattern.test(f), f).toBe(true);
    expect(filePattern.test('packages/vm-media/src/index.ts')).toBe(false);
  });

  it('finds every image with the repository and tag the kit reads', () => {
    for (const file of serviceFiles()) {
      const text = readFileSync(join(workspaceRoot, file), 'utf8');
      const images = [...text.matchAll(/image: '([^']+)'/g)].map((m) => m[1]!);
      const found = [...text.matchAll(match)].map((m) => m.groups!);
      expect(found.length, file).toBe(images.length);
      images.forEach((image, i) => {
        const { repository, tag, digest } = parseImage(image);
        expect(found[i]!.depName, file).toBe(repository);
        expect(found[i]!.currentValue, file).toBe(tag);
        expect(found[i]!.currentDigest, file).toBe(digest);
      });
    }
  });

  it('reads registries with ports and digests', () => {
    const text = "image: 'registry.lan:5000/team/app:1.2.3@sha256:" + 'a'.repeat(64) + "'";
    const m = [...text.matchAll(match)][0]!.groups!;
    expect(m).toEqual({ depName: 'registry.lan:5000/team/app', currentValue: '1.2.3', currentDigest: `sha256:${'a'.repeat(64)}` });
  });
});

// The second custom manager: each host's k3s release, so a new k3s comes as a pull request too.
describe('Renovate custom manager for k3s', () => {
  const k3s = config.customManagers[1]!;
  const k3sFiles = new RegExp(k3s.managerFilePatterns[0]!.slice(1, -1));
  const k3sMatch = new RegExp(k3s.matchStrings[0]!, 'g');
  const versioning = (k3s as unknown as { versioningTemplate: string }).versioningTemplate.replace(/^regex:/, '');

  it('finds the release of every host with a cluster, as the model names it', async () => {
    const { lab } = await (await import('../src/index.js')).loadLab(workspaceRoot);
    const clusters = lab.hosts.filter((h) => h.kubernetes);
    expect(clusters.length).toBeGreaterThan(0);
    for (const host of clusters) {
      const file = `packages/${host.name}/src/index.ts`;
      expect(k3sFiles.test(file), file).toBe(true);
      const found = [...readFileSync(join(workspaceRoot, file), 'utf8').matchAll(k3sMatch)].map((m) => m.groups!.currentValue);
      expect(found, file).toEqual([host.kubernetes!.version]);
      expect(new RegExp(versioning).test(found[0]!), found[0]).toBe(true);
    }
  });
});
