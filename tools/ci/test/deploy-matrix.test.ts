import { describe, expect, it } from 'vitest';
import { deployedTag, deployMatrix } from '../src/deploy-matrix.js';

const order = ['pve', 'lxc-dns', 'vm-infra', 'vm-media'];

describe('the deploy matrix', () => {
  it('compares each host with the commit last deployed to it, once per distinct commit', () => {
    const asked: string[] = [];
    const changed: Record<string, string[]> = { c1: ['vm-media'], c0: ['lxc-dns', 'vm-media'] };
    const jobs = deployMatrix({
      order,
      deployed: new Map([
        ['pve', 'c1'],
        ['lxc-dns', 'c0'],
        ['vm-infra', 'c1'],
        ['vm-media', 'c1'],
      ]),
      changedSince: (base) => {
        asked.push(base);
        return new Set(changed[base]);
      },
    });
    // lxc-dns failed at c0 and stayed there: it deploys again although the last push (c1) left it alone.
    expect(jobs).toEqual([
      { host: 'lxc-dns', base: 'c0' },
      { host: 'vm-media', base: 'c1' },
    ]);
    expect(asked).toEqual(['c1', 'c0']);
  });

  it('deploys a host with no record, and one whose record no longer compares', () => {
    const jobs = deployMatrix({ order, deployed: new Map([['vm-infra', 'gone']]), changedSince: () => null });
    expect(jobs.map((j) => j.host)).toEqual(order);
    expect(jobs[0]).toEqual({ host: 'pve', base: null });
  });

  it('deploys nothing when every host is at its record', () => {
    expect(deployMatrix({ order, deployed: new Map(order.map((h) => [h, 'c1'])), changedSince: () => new Set() })).toEqual([]);
  });

  it('records under deployed/<host>', () => {
    expect(deployedTag('vm-media')).toBe('deployed/vm-media');
  });
});
