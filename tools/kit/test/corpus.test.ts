import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotDir } from '@homelab/testing';
import { buildHosts, labMachines, type Lab, type LoadedLab } from '../src/index.js';
import { realLab } from './fixtures.js';
import { corpus } from './corpus-cases.js';

// The bad-input corpus: each case breaks the real lab in one way (or a likely combination),
// and must give exactly the named finding, throw nothing, and write nothing to any dist/.
const root = mkdtempSync(join(tmpdir(), 'homelab-corpus-'));
const hostDirs = new Map(labMachines(realLab).map((h) => [h.name, join(root, h.name)]));
const asLoaded = (lab: Lab): LoadedLab => ({ root, lab, hostDirs });
let before: Record<string, Record<string, string>>;

beforeAll(() => {
  expect(buildHosts(asLoaded(realLab)).written.length).toBe(hostDirs.size);
  before = Object.fromEntries([...hostDirs].map(([h, d]) => [h, snapshotDir(join(d, 'dist'))]));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bad-input corpus', () => {
  it('has at least 40 cases', () => expect(corpus.length).toBeGreaterThanOrEqual(40));

  it.each(corpus.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const lab = c.mutate(realLab);
    const result = buildHosts(asLoaded(lab));
    const errors = result.findings.filter((f) => f.severity === 'error');
    const path = typeof c.path === 'string' ? c.path : c.path(realLab);
    expect(errors.map((f) => `${f.code} @ ${f.path}`)).toContain(`${c.code} @ ${path}`);
    expect(result.written).toEqual([]);
    for (const [host, dir] of hostDirs) expect(snapshotDir(join(dir, 'dist')), host).toEqual(before[host]);
  });
});
