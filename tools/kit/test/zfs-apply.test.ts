import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyZfsPlan, planZfsOn, wantedLayout, type ZfsOutputs } from '../src/internal.js';
import { realLab } from './fixtures.js';
import { ZfsSim, fakeZfs } from './zfs-sim.js';

// deploy's dataset step against a host answered by the model of ZFS: the exact commands it runs.
const wanted = wantedLayout(realLab.facts.zfs);
const READS = /^zfs (list|get) -H /;
function host(scenario: string): ZfsSim {
  const read = (file: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'zfs', scenario, file), 'utf8');
  const outputs: ZfsOutputs = { 'zfs-list': read('zfs-list.txt'), 'zfs-get': read('zfs-get.txt') };
  return new ZfsSim(outputs, 'tank');
}

describe('applyZfsPlan', () => {
  it('runs exactly the plan, then finds nothing left; a second deploy only reads', async () => {
    const sim = host('drifted');
    const log: string[] = [];
    const planned = await planZfsOn(wanted, fakeZfs(sim, 'tank'));
    const first = await applyZfsPlan(wanted, fakeZfs(sim, 'tank', log));
    expect(first.ok).toBe(true);
    expect(first.applied.map((a) => a.argv.join(' '))).toEqual(planned.actions.map((a) => a.argv.join(' ')));
    expect(log.filter((l) => !READS.test(l))).toEqual(planned.actions.map((a) => a.argv.join(' ')));
    expect(first.after!.actions).toEqual([]);
    expect(first.findings.map((f) => f.code)).toEqual(['zfs-creation-only', 'zfs-creation-only']);

    const again: string[] = [];
    const second = await applyZfsPlan(wanted, fakeZfs(sim, 'tank', again));
    expect(second.ok).toBe(true);
    expect(second.applied).toEqual([]);
    expect(again.every((l) => READS.test(l))).toBe(true);
  });

  it('creates a whole layout on a fresh pool', async () => {
    const sim = host('fresh-pool');
    const result = await applyZfsPlan(wanted, fakeZfs(sim, 'tank'));
    expect(result.ok).toBe(true);
    expect(result.applied.length).toBe(Object.keys(realLab.facts.zfs.datasets).length);
    expect([...sim.types.keys()].filter((n) => n !== 'tank').sort()).toEqual(wanted.datasets.map((d) => d.name).sort());
  });

  it('runs nothing when the pool is missing', async () => {
    const log: string[] = [];
    const sim = host('no-pool');
    const result = await applyZfsPlan(wanted, fakeZfs(sim, 'tank', log));
    expect(result.ok).toBe(false);
    expect(result.findings.map((f) => f.code)).toEqual(['zfs-pool-missing']);
    expect(log.every((l) => READS.test(l))).toBe(true);
  });

  it('stops at the first failing command and says which', async () => {
    const log: string[] = [];
    const result = await applyZfsPlan(wanted, fakeZfs(host('drifted'), 'tank', log, 'zfs set recordsize=1M tank/media'));
    expect(result.ok).toBe(false);
    expect(result.failed?.action.argv.join(' ')).toBe('zfs set recordsize=1M tank/media');
    expect(result.failed?.stderr).toContain('operation not supported');
    expect(log.at(-1)).toBe('zfs set recordsize=1M tank/media');
    expect(result.applied.map((a) => a.argv.join(' '))).toEqual([
      'zfs create -o atime=off -o compression=lz4 -o readonly=off tank/backups',
      'zfs create -o compression=off -o recordsize=1M tank/backups/vzdump',
      'zfs set atime=off tank/media',
      'zfs set compression=lz4 tank/media',
    ]);
  });

  it('never runs anything but reads, create, set and inherit', async () => {
    for (const scenario of ['fresh-pool', 'drifted', 'converged', 'volume-in-the-way', 'no-pool']) {
      const log: string[] = [];
      await applyZfsPlan(wanted, fakeZfs(host(scenario), 'tank', log));
      expect(log.filter((l) => !/^zfs (list|get|create|set|inherit) /.test(l)), scenario).toEqual([]);
    }
  });
});
