import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerDrift, DRIFT_CODES, driftFinding, parseConfigHashes, parseRunningContainers, releaseFileDrift, type ExpectedService, type RunningContainer } from '../../src/internal.js';
import { workspaceRoot } from '../support.js';

// The compose host's side of `homelab drift`, on recorded `docker inspect` lines: each kind of drift, one item.
const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);
const DIGEST = `sha256:${'c'.repeat(64)}`;
const PINNED = `ghcr.io/example/app:1.0@${DIGEST}`;

const running = (over: Partial<RunningContainer> & Pick<RunningContainer, 'service'>): RunningContainer => ({
  name: `vm-x_${over.service}_1`,
  status: 'running',
  exitCode: 0,
  restart: 'unless-stopped',
  configHash: H1,
  image: 'busybox:1',
  imageId: 'sha256:1111',
  repoDigests: [],
  ...over,
});

const expected = (entries: Record<string, ExpectedService>) => new Map(Object.entries(entries));

describe('containerDrift', () => {
  const cases: { name: string; want: Record<string, ExpectedService>; have: RunningContainer[]; items: string[] }[] = [
    { name: 'as deployed', want: { web: { hash: H1, image: 'busybox:1' } }, have: [running({ service: 'web' })], items: [] },
    { name: 'removed by hand', want: { web: { hash: H1 } }, have: [], items: ['drift-container-missing containers/web'] },
    { name: 'stopped by hand', want: { web: { hash: H1 } }, have: [running({ service: 'web', status: 'exited', exitCode: 137 })], items: ['drift-container-stopped containers/web'] },
    { name: 'a one-shot that finished', want: { init: { hash: H1 } }, have: [running({ service: 'init', status: 'exited', restart: 'no' })], items: [] },
    { name: 'recreated from another definition', want: { web: { hash: H1 } }, have: [running({ service: 'web', configHash: H2 })], items: ['drift-container-config containers/web'] },
    { name: 'another image', want: { web: { hash: H1, image: 'busybox:2' } }, have: [running({ service: 'web' })], items: ['drift-image containers/web/image'] },
    { name: 'pinned digest present', want: { app: { hash: H1, image: PINNED } }, have: [running({ service: 'app', image: PINNED, repoDigests: [`ghcr.io/example/app@${DIGEST}`] })], items: [] },
    { name: 'pinned digest absent (the tag was re-pointed and retagged locally)', want: { app: { hash: H1, image: PINNED } }, have: [running({ service: 'app', image: PINNED, repoDigests: [`ghcr.io/example/app@sha256:${'d'.repeat(64)}`] })], items: ['drift-image containers/app/image'] },
    { name: 'a container the release does not define', want: {}, have: [running({ service: 'debug' })], items: ['drift-container-extra containers/debug'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(containerDrift('vm-x', expected(c.want), c.have).map((i) => `${i.code} ${i.what}`)).toEqual(c.items);
    });
  }
});

describe('reading what the host printed', () => {
  it('parses docker inspect lines and the images\' repo digests', () => {
    const out = [`web|/vm-x_web_1|running|0|unless-stopped|${H1}|${PINNED}|sha256:1111`, `db|/vm-x_db_1|exited|1|always||postgres:16|sha256:2222`, '--images', `sha256:1111|ghcr.io/example/app@${DIGEST} `, 'sha256:2222|', ''].join('\n');
    const [db, web] = parseRunningContainers(out);
    expect(web).toMatchObject({ service: 'web', name: 'vm-x_web_1', configHash: H1, image: PINNED, repoDigests: [`ghcr.io/example/app@${DIGEST}`] });
    expect(db).toMatchObject({ service: 'db', status: 'exited', exitCode: 1, configHash: '', repoDigests: [] });
  });

  it('parses `config --hash` lines, ignoring anything else compose prints', () => {
    expect([...parseConfigHashes(`web ${H1}\nWARNING: something\ndb ${H2}\n`)]).toEqual([['web', H1], ['db', H2]]);
  });

  it('compares the release files with the manifest, skipping files holding filled secrets', () => {
    const manifest = {
      artifacts: [
        { path: 'compose.yaml', kind: 'compose', sha256: H1 },
        { path: 'app/config.ini', kind: 'ini', sha256: H2, install: { path: '/etc/app.ini', secrets: ['token'] } },
        { path: 'prometheus/prometheus.yml', kind: 'prometheus', sha256: H2 },
      ],
    } as never;
    expect(releaseFileDrift('vm-x', { manifest }, `${H1} compose.yaml\n${H2} prometheus/prometheus.yml\n`)).toEqual([]);
    expect(releaseFileDrift('vm-x', { manifest }, `${H2} compose.yaml\nmissing prometheus/prometheus.yml\n`)).toEqual([
      { code: 'drift-file', host: 'vm-x', what: 'files/compose.yaml', expected: `sha256 ${H1.slice(0, 12)}`, actual: `sha256 ${H2.slice(0, 12)}` },
      { code: 'drift-file', host: 'vm-x', what: 'files/prometheus/prometheus.yml', expected: `sha256 ${H2.slice(0, 12)}`, actual: 'the file missing' },
    ]);
  });
});

describe('drift findings', () => {
  it('carry the house shape and the item: host/what as the path, expected and actual in the message', () => {
    const f = driftFinding({ code: 'drift-container-missing', host: 'vm-x', what: 'containers/web', expected: 'a container', actual: 'none' });
    expect(f).toMatchObject({ code: 'drift-container-missing', severity: 'error', path: 'vm-x/containers/web', host: 'vm-x', what: 'containers/web', expected: 'a container', actual: 'none' });
    expect(f.message).toMatch(/^expected a container, found none: /);
  });

  it('each code is explained in docs/findings.md under Drift', () => {
    const doc = readFileSync(join(workspaceRoot, 'docs', 'findings.md'), 'utf8');
    const section = doc.slice(doc.indexOf('\n## Drift'));
    expect(doc.includes('\n## Drift')).toBe(true);
    expect(DRIFT_CODES.filter((code) => !section.includes(`\`${code}\``))).toEqual([]);
  });
});
