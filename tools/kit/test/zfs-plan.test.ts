import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printableCommand, planZfs, wantedLayout, zfsApplyCommands, zfsPlanCommands, type ZfsOutputs, type ZfsPlan } from '../src/internal.js';
import { realLab } from './fixtures.js';
import { ZfsSim } from './zfs-sim.js';

// Captured outputs of the two commands zfsPlanCommands() gives, in the format of `zfs list -H`
// and `zfs get -H -p` (tab-separated, sizes in bytes), for hosts in different states.
const capturedDir = join(import.meta.dirname, 'fixtures', 'zfs');
function captured(scenario: string): ZfsOutputs {
  const read = (file: string) => readFileSync(join(capturedDir, scenario, file), 'utf8');
  return { 'zfs-list': read('zfs-list.txt'), 'zfs-get': read('zfs-get.txt') };
}

const wanted = wantedLayout(realLab.facts.zfs);
const lines = (plan: ZfsPlan) => plan.actions.map((a) => printableCommand(a.argv));
const codes = (plan: ZfsPlan) => plan.findings.map((f) => [f.code, f.path]);

describe('zfsPlanCommands', () => {
  it('asks for the datasets and exactly the properties the layout manages, read-only', () => {
    expect(zfsPlanCommands(wanted).map((c) => printableCommand(c.argv))).toEqual([
      'zfs list -H -o name,type -r -t filesystem,volume tank',
      'zfs get -H -p -o name,property,value,source -r -t filesystem acltype,atime,compression,normalization,readonly,recordsize,utf8only,xattr tank',
    ]);
  });
});

const cases: { scenario: string; actions: string[]; findings: [string, string][]; unmanaged: string[] }[] = [
  {
    scenario: 'converged',
    actions: [],
    findings: [],
    unmanaged: ['tank/backups/laptop', 'tank/subvol-111-disk-0', 'tank/vm-120-disk-0'],
  },
  {
    scenario: 'fresh-pool',
    actions: [
      'zfs create -o atime=off -o compression=lz4 -o readonly=off tank/backups',
      'zfs create -o compression=off -o recordsize=1M tank/backups/vzdump',
      'zfs create -o acltype=posix -o atime=off -o compression=lz4 -o recordsize=1M -o xattr=sa tank/media',
      'zfs create tank/media/library',
      'zfs create -o normalization=formD -o recordsize=128K -o utf8only=on tank/media/user',
      'zfs create -o atime=off -o compression=lz4 -o recordsize=128K -o xattr=sa tank/services',
      'zfs create tank/services/apps',
      'zfs create tank/services/dev',
      'zfs create tank/services/downloads',
      'zfs create tank/services/games',
      'zfs create tank/services/infra',
      'zfs create tank/services/media',
      'zfs create tank/services/monitoring',
    ],
    findings: [],
    unmanaged: [],
  },
  {
    // Made by hand: missing datasets, a wrong property, a property only creation sets, a child
    // overriding what it should inherit, an alias spelling (posixacl) that already matches.
    scenario: 'drifted',
    actions: [
      'zfs create -o atime=off -o compression=lz4 -o readonly=off tank/backups',
      'zfs create -o compression=off -o recordsize=1M tank/backups/vzdump',
      'zfs set atime=off tank/media',
      'zfs set compression=lz4 tank/media',
      'zfs set recordsize=1M tank/media',
      'zfs set xattr=sa tank/media',
      'zfs inherit compression tank/media/library',
      'zfs set recordsize=128K tank/media/user',
      'zfs set recordsize=128K tank/services',
      'zfs create tank/services/dev',
      'zfs create tank/services/downloads',
      'zfs create tank/services/games',
      'zfs inherit compression tank/services/infra',
      'zfs inherit atime tank/services/media',
      'zfs create tank/services/monitoring',
    ],
    findings: [
      ['zfs-creation-only', 'pve/zfs/tank/media/user/properties.normalization'],
      ['zfs-creation-only', 'pve/zfs/tank/media/user/properties.utf8only'],
    ],
    unmanaged: ['tank/vm-120-disk-0'],
  },
  {
    // The seed's layout (docs/storage.md, "Moving a pool to one library filesystem"): the plan
    // creates media/library and leaves the two library datasets it replaces alone, reported
    // unmanaged; services/downloads stays (qBittorrent's settings), its local 128K equal to the
    // 128K it would inherit.
    scenario: 'seed-layout',
    // a pool laid out before backups/vzdump: tank/backups was read-only then
    actions: ['zfs set readonly=off tank/backups', 'zfs create -o compression=off -o recordsize=1M tank/backups/vzdump', 'zfs create tank/media/library'],
    findings: [],
    unmanaged: ['tank/backups/laptop', 'tank/media/movies', 'tank/media/shows', 'tank/subvol-111-disk-0', 'tank/vm-120-disk-0'],
  },
  {
    scenario: 'no-pool',
    actions: [],
    findings: [['zfs-pool-missing', 'pve/zfs/tank']],
    unmanaged: [],
  },
  {
    scenario: 'volume-in-the-way',
    actions: [],
    findings: [['zfs-not-filesystem', 'pve/zfs/tank/services/dev']],
    unmanaged: ['tank/backups/laptop', 'tank/subvol-111-disk-0', 'tank/vm-120-disk-0'],
  },
];

describe('planZfs on captured outputs', () => {
  it.each(cases)('$scenario', ({ scenario, actions, findings, unmanaged }) => {
    const plan = planZfs(wanted, captured(scenario));
    expect(lines(plan)).toEqual(actions);
    expect(codes(plan)).toEqual(findings);
    expect(plan.unmanaged).toEqual(unmanaged);
  });

  it.each(cases)('never destroys, renames or touches an unmanaged dataset: $scenario', ({ scenario }) => {
    const plan = planZfs(wanted, captured(scenario));
    for (const argv of zfsApplyCommands(plan)) {
      expect(['create', 'set', 'inherit']).toContain(argv[1]);
      expect(plan.unmanaged).not.toContain(argv.at(-1));
    }
  });

  it.each(cases.filter((c) => c.scenario !== 'no-pool'))('applied, then planned again, changes nothing: $scenario', ({ scenario }) => {
    const sim = new ZfsSim(captured(scenario), 'tank');
    const plan = planZfs(wanted, captured(scenario));
    for (const action of plan.actions) sim.apply(action);
    const again = planZfs(wanted, sim.outputs());
    expect(lines(again)).toEqual([]);
    expect(codes(again)).toEqual(codes(plan));
  });

  it('reports output it cannot read instead of guessing', () => {
    const plan = planZfs(wanted, { 'zfs-list': 'tank filesystem\n', 'zfs-get': '' });
    expect(codes(plan)).toContainEqual(['zfs-output-unreadable', 'pve/zfs/zfs-list:1']);
  });

  it('reports a property the host does not report rather than setting it blind', () => {
    const out = captured('converged');
    const plan = planZfs(wanted, { ...out, 'zfs-get': out['zfs-get']!.split('\n').filter((l) => !l.startsWith('tank/media\txattr')).join('\n') });
    expect(codes(plan)).toEqual([['zfs-property-unreported', 'pve/zfs/tank/media/properties.xattr']]);
    expect(lines(plan)).toEqual([]);
  });
});
