import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseImage } from '../src/validate/rules/image.js';
import { compareRegexVersions, extract, parseRegexVersion, rulesFor, versioningOf, type ExtractedDep, type RenovateConfig } from './renovate-model.js';
import { orderings } from './renovate-orderings.js';
import { workspaceRoot } from './support.js';
import { loadLab } from '../src/internal.js';

const config = JSON.parse(readFileSync(join(workspaceRoot, 'renovate.json'), 'utf8')) as RenovateConfig;
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

const fixtureLab = join(workspaceRoot, 'tools', 'kit', 'test', 'fixtures', 'renovate-lab');
const digest = `sha256:${'a'.repeat(64)}`;

// renovate.json against a fixture of service files and the other tracked files: what each regex
// manager extracts, the versioning each dependency gets, and how that versioning orders real tags.
describe('renovate.json against the fixture lab', () => {
  const deps = extract(config, fixtureLab);
  const dep = (depName: string) => deps.find((d) => d.depName === depName)!;

  it('extracts every tracked dependency, and nothing from files that are no service', () => {
    expect(deps).toEqual([
      { file: 'packages/vm-demo/src/services/immich.ts', depName: 'ghcr.io/immich-app/immich-server', currentValue: 'v3.2.4', currentDigest: digest, datasource: 'docker' },
      { file: 'packages/vm-demo/src/services/immich.ts', depName: 'ghcr.io/immich-app/postgres', currentValue: '14-vectorchord0.4.3-pgvectors0.2.0', datasource: 'docker' },
      { file: 'packages/vm-demo/src/services/nextcloud.ts', depName: 'nextcloud', currentValue: '34.0.2-apache', datasource: 'docker' },
      { file: 'packages/vm-demo/src/services/nextcloud.ts', depName: 'postgres', currentValue: '16.13-alpine', datasource: 'docker' },
      { file: 'packages/vm-demo/src/services/panel.ts', depName: 'ghcr.io/pelican/panel', currentValue: 'v1.0.0-beta38', datasource: 'docker' },
      { file: 'packages/vm-demo/src/services/qbittorrent.ts', depName: 'lscr.io/linuxserver/qbittorrent', currentValue: '5.1.2-r0-ls407', datasource: 'docker' },
      { file: 'packages/vm-demo/src/services/sonarr.ts', depName: 'lscr.io/linuxserver/sonarr', currentValue: '4.0.19.2979-ls316', datasource: 'docker' },
      { file: 'packages/lxc-dns/src/services/adguard.ts', depName: 'AdguardTeam/AdGuardHome', currentValue: 'v0.107.79', datasource: 'github-releases' },
      { file: 'packages/shared/src/containers.ts', depName: 'debian-standard (Proxmox LXC template)', currentValue: '12.7-1', datasource: 'custom.proxmox-lxc-templates', versioning: 'regex:^(?<major>\\d+)\\.(?<minor>\\d+)-(?<patch>\\d+)$' },
      { file: 'packages/shared/src/vms.ts', depName: 'debian', currentValue: '13', datasource: 'endoflife-date', versioning: 'regex:^(?<major>\\d+)$' },
      { file: '.ci/run', depName: 'pnpm', currentValue: '12.21.0', datasource: 'npm' },
      { file: '.github/workflows/ci.yml', depName: 'pnpm', currentValue: '12.21.0', datasource: 'npm' },
    ]);
  });

  it.each(orderings)('%s: tags that are no semver still order, so they update', (name, tags) => {
    const d = dep(name);
    const v = versioningOf(config, d);
    expect(v).toMatch(/^regex:/);
    expect(parseRegexVersion(v, d.currentValue), `${d.currentValue} under ${v}`).not.toBeNull();
    for (let i = 1; i < tags.length; i++) expect(compareRegexVersions(v, tags[i]!, tags[i - 1]!), `${tags[i]} after ${tags[i - 1]}`).toBe(1);
  });

  it("Immich's postgres only moves to tags of the same pgvecto.rs build (compatibility)", () => {
    const v = versioningOf(config, dep('ghcr.io/immich-app/postgres'));
    expect(parseRegexVersion(v, '14-vectorchord0.4.3-pgvectors0.2.0')!.compatibility).toBe('-pgvectors0.2.0');
    expect(parseRegexVersion(v, '14-vectorchord0.5.0')!.compatibility).toBeUndefined();
  });

  it('Pelican betas are taken although unstable', () => {
    expect(rulesFor(config, dep('ghcr.io/pelican/panel')).some((r) => r.ignoreUnstable === false)).toBe(true);
  });

  it.each(['postgres', 'nextcloud', 'ghcr.io/immich-app/postgres', 'debian', 'debian-standard (Proxmox LXC template)'])('a major of %s waits for approval on the dependency dashboard', (name) => {
    expect(rulesFor(config, dep(name), 'major').some((r) => r.dependencyDashboardApproval === true)).toBe(true);
    expect(rulesFor(config, dep(name), 'minor').some((r) => r.dependencyDashboardApproval === true)).toBe(false);
  });

  it('a stateless image updates without approval, also across majors', () => {
    expect(rulesFor(config, dep('lscr.io/linuxserver/sonarr'), 'major').some((r) => r.dependencyDashboardApproval)).toBe(false);
  });

  it('every image gets its own pull request, the first digest pin too (its own group, named by the image)', () => {
    for (const d of deps.filter((x) => x.datasource === 'docker')) {
      const pin = rulesFor(config, d, 'pinDigest').filter((r) => r.groupName);
      const group = pin.at(-1)!.groupName as string;
      if (d.depName.startsWith('ghcr.io/immich-app/immich-')) expect(group).toBe('immich');
      else expect(group).toBe('{{{depName}}}');
      expect(rulesFor(config, d).some((r) => r.pinDigests === true), d.depName).toBe(true);
    }
  });
});

describe('renovate.json against the repository', () => {
  const deps = extract(config, workspaceRoot).filter((d: ExtractedDep) => !d.file.startsWith('tools/'));

  it.each([
    ['AdguardTeam/AdGuardHome', 'packages/lxc-dns/src/services/adguard.ts'],
    ['debian-standard (Proxmox LXC template)', 'packages/shared/src/containers.ts'],
    ['debian', 'packages/shared/src/vms.ts'],
  ])('tracks %s in %s', (name, file) => {
    expect(deps.filter((d) => d.depName === name).map((d) => d.file)).toEqual([file]);
  });

  it('tracks every pnpm@ the workflows, .ci/run and the README install, all at one version', () => {
    const pnpm = deps.filter((d) => d.depName === 'pnpm');
    expect(pnpm.map((d) => d.file)).toEqual(expect.arrayContaining(['.ci/run', 'README.md', '.github/actions/setup/action.yml']));
    expect(new Set(pnpm.map((d) => d.currentValue)).size).toBe(1);
    // Node where tools read it: .node-version (setup-node, nvm, fnm), a Node the engines accept.
    // pnpm is pinned by the install commands above only: a packageManager field makes pnpm 12
    // resolve its own version from the registry on every install, which fails offline.
    const pkg = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8')) as { packageManager?: string; engines: { node: string } };
    expect(pkg.packageManager).toBeUndefined();
    const node = readFileSync(join(workspaceRoot, '.node-version'), 'utf8').trim();
    expect(node).toMatch(/^\d+$/);
    expect(Number(node)).toBeGreaterThanOrEqual(24);
    expect(pkg.engines.node).toContain('>=24');
  });

  it('regenerates through the workflow, not postUpgradeTasks, and Renovate keeps rebasing past its commit', () => {
    expect(config.postUpgradeTasks).toBeUndefined();
    const regen = readFileSync(join(workspaceRoot, '.github', 'workflows', 'renovate-regen.yml'), 'utf8');
    for (const author of config.gitIgnoredAuthors as string[]) expect(regen).toContain(`git config user.email "${author}"`);
  });

  it('works as the best home-ops repositories do: release age, automerge of digests, actions and patches, labels, semantic commits, monthly lock file, the lab\'s timezone', async () => {
    const { lab } = await loadLab(workspaceRoot);
    expect(config.timezone).toBe(lab.facts.timezone);
    expect(config.semanticCommits).toBe('enabled');
    expect(config.minimumReleaseAge).toMatch(/^\d+ days?$/);
    // Release age is a status check Renovate waits on before it opens (strict) and before it merges.
    expect(config.internalChecksFilter).toBe('strict');
    expect((config.lockFileMaintenance as { enabled: boolean; schedule: string[] }).enabled).toBe(true);
    expect((config.lockFileMaintenance as { schedule: string[] }).schedule).toEqual(['before 6am on the first day of the month']);
    const image = deps.find((d) => d.datasource === 'docker')!;
    const automerged = (updateType: string) => rulesFor(config, image, updateType).some((r) => r.automerge === true);
    for (const t of ['digest', 'pinDigest', 'patch']) expect(automerged(t), t).toBe(true);
    for (const t of ['minor', 'major']) expect(automerged(t), t).toBe(false);
    const labels = (updateType: string) => rulesFor(config, image, updateType).flatMap((r) => (r.addLabels as string[] | undefined) ?? []);
    expect(labels('major')).toEqual(['update:major']);
    expect(labels('minor')).toEqual(['update:minor']);
    expect(labels('digest')).toEqual(['update:patch']);
    // A database major is never merged by Renovate: it waits for approval on the dashboard.
    const postgres = deps.find((d) => d.depName === 'postgres')!;
    expect(rulesFor(config, postgres, 'major').some((r) => r.dependencyDashboardApproval === true)).toBe(true);
    expect(rulesFor(config, postgres, 'major').some((r) => r.automerge === true)).toBe(false);
    const actions = config.packageRules.find((r) => (r.matchManagers as string[] | undefined)?.includes('github-actions') && r.automerge === true);
    expect(actions?.matchUpdateTypes).not.toContain('major');
  });
});
