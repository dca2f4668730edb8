import { describe, expect, it } from 'vitest';
import { DEPLOY_TIERS } from '@homelab/kit';
import { DEPLOY_JOBS, deployedTag, deployMatrix, deployTierOutputs } from '../src/deploy-matrix.js';

const order = [
  { host: 'pve', tier: 0 },
  { host: 'lxc-dns', tier: 1 },
  { host: 'vm-infra', tier: 3 },
  { host: 'vm-media', tier: 4 },
];

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
      { host: 'lxc-dns', tier: 1, base: 'c0' },
      { host: 'vm-media', tier: 4, base: 'c1' },
    ]);
    expect(asked).toEqual(['c1', 'c0']);
  });

  it('deploys a host with no record, and one whose record no longer compares', () => {
    const jobs = deployMatrix({ order, deployed: new Map([['vm-infra', 'gone']]), changedSince: () => null });
    expect(jobs.map((j) => j.host)).toEqual(order.map((o) => o.host));
    expect(jobs[0]).toEqual({ host: 'pve', tier: 0, base: null });
  });

  it('deploys nothing when every host is at its record', () => {
    expect(deployMatrix({ order, deployed: new Map(order.map((h) => [h.host, 'c1'])), changedSince: () => new Set() })).toEqual([]);
  });

  it('gives the workflow one output per deploy rank, every rank present (an empty one skips its job)', () => {
    const jobs = deployMatrix({ order, deployed: new Map(), changedSince: () => null });
    expect(deployTierOutputs(jobs, DEPLOY_JOBS)).toEqual([
      'tier0=[{"host":"pve","tier":0,"base":null}]',
      'tier1=[{"host":"lxc-dns","tier":1,"base":null}]',
      'tier2=[]',
      'tier3=[{"host":"vm-infra","tier":3,"base":null}]',
      'tier4=[{"host":"vm-media","tier":4,"base":null}]',
    ]);
    expect(() => deployTierOutputs([{ host: 'x', tier: 5, base: null }], DEPLOY_JOBS)).toThrow('deploy ranks run 0 to 4; x has 5: add a job to deploy.yml');
  });

  it('has a workflow job for each deploy rank the kit knows', () => {
    expect(DEPLOY_JOBS).toBe(DEPLOY_TIERS);
  });

  it('records under deployed/<host>', () => {
    expect(deployedTag('vm-media')).toBe('deployed/vm-media');
  });
});
