import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guestDrift, lxcDialect, parsePrintedConfig, pveDrift, qemuDialect, wantedLayout, type NodeGuest, type RunZfs } from '../../src/internal.js';
import { realLab } from '../fixtures.js';
import { workspaceRoot } from '../support.js';

// The Proxmox host's side of `homelab drift`, from recorded outputs of `pct config`, `qm config`
// and `zfs list`/`zfs get` fed by a fake command runner: the lab's lxc-dns (111) and vm-apps (121).
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'drift', name), 'utf8');
const zfsFixture = (scenario: string, file: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'zfs', scenario, file), 'utf8');
const golden = (host: string, path: string) => readFileSync(join(workspaceRoot, 'packages', host, 'test', 'golden', path), 'utf8');

const dns: NodeGuest = { host: 'lxc-dns', dialect: lxcDialect, vmid: 111, desired: golden('lxc-dns', 'proxmox/111.conf'), ignore: [] };
const apps: NodeGuest = {
  host: 'vm-apps',
  dialect: qemuDialect,
  vmid: 121,
  desired: golden('vm-apps', 'proxmox/121.conf'),
  ignore: Object.keys((JSON.parse(golden('vm-apps', 'proxmox/121.setup.json')) as { secretOptions: Record<string, string> }).secretOptions),
};
const missing: NodeGuest = { host: 'lxc-vpn', dialect: lxcDialect, vmid: 112, desired: golden('lxc-vpn', 'proxmox/112.conf'), ignore: [] };

/** A node answering each command line from a table; anything else fails as pve would for an unknown guest. */
function fakeNode(answers: Record<string, string>, log: string[] = []): RunZfs {
  return async (argv) => {
    const line = argv.join(' ');
    log.push(line);
    const out = answers[line] ?? (line.startsWith('zfs get') ? answers['zfs get'] : undefined);
    if (out !== undefined) return { code: 0, stdout: out, stderr: '' };
    const [cli, , vmid] = argv;
    return { code: 2, stdout: '', stderr: `Configuration file 'nodes/pve/${cli === 'pct' ? 'lxc' : 'qemu-server'}/${vmid}.conf' does not exist\n` };
  };
}

const summary = (items: readonly { code: string; what: string; expected: string; actual: string }[]) => items.map((i) => `${i.code} ${i.what}: ${i.expected} -> ${i.actual}`);

describe('guestDrift: pct config / qm config against the rendered file', () => {
  it('finds nothing in what Proxmox prints for a guest as rendered (sorted, description encoded, generated keys, sshkeys)', () => {
    expect(guestDrift({ ...dns, printed: fixture('pct-config-111.txt') })).toEqual([]);
    expect(guestDrift({ ...apps, printed: fixture('qm-config-121.txt') })).toEqual([]);
  });

  it('reads the file format too (# description lines, as the twin stand-in prints it)', () => {
    expect(parsePrintedConfig(dns.desired)).toEqual(parsePrintedConfig(fixture('pct-config-111.txt').replace(/%0A$/m, '')));
    expect(guestDrift({ ...dns, printed: dns.desired })).toEqual([]);
  });

  it('finds each option changed, added or removed by hand in a container', () => {
    expect(summary(guestDrift({ ...dns, printed: fixture('pct-config-111-drifted.txt') }))).toEqual([
      'drift-guest-option guests/111/memory: 512 -> 1024',
      'drift-guest-option guests/111/mp0: /tank/services/infra/adguard,mp=/opt/AdGuardHome/data -> (not set)',
      'drift-guest-option guests/111/net0: name=eth0,bridge=vmbr0,firewall=1,gw=192.168.0.1,hwaddr=BC:24:11:E6:86:83,ip=192.168.0.11/24,type=veth -> name=eth0,bridge=vmbr1,firewall=1,gw=192.168.0.1,hwaddr=BC:24:11:E6:86:83,ip=192.168.0.11/24,type=veth',
      'drift-guest-option guests/111/protection: (not set) -> 1',
    ]);
  });

  it('finds a VM changed by hand: cores, a grown disk, the description', () => {
    const items = guestDrift({ ...apps, printed: fixture('qm-config-121-drifted.txt') });
    expect(items.map((i) => i.what)).toEqual(['guests/121/cores', 'guests/121/scsi0', 'guests/121/description']);
    expect(items[2]!.actual).toBe('Edited in the web UI\n');
    // sshkeys is set from a secret, not the file: compared only when not declared so.
    expect(guestDrift({ ...apps, ignore: [], printed: fixture('qm-config-121.txt') }).map((i) => i.what)).toEqual(['guests/121/sshkeys']);
  });

  it('finds lxc.* raw lines that differ', () => {
    const desired = `${dns.desired}lxc.idmap: u 0 100000 65536\n`;
    expect(summary(guestDrift({ ...dns, desired, printed: fixture('pct-config-111.txt') }))).toEqual(['drift-guest-option guests/111/lxc: lxc.idmap: u 0 100000 65536 -> (not set)']);
  });
});

describe('pveDrift through a command runner', () => {
  const wanted = wantedLayout(realLab.facts.zfs);
  const node = (scenario: string, guests: Record<string, string>, log?: string[]) =>
    fakeNode({ ...guests, [`zfs list -H -o name,type -r -t filesystem,volume ${wanted.pool}`]: zfsFixture(scenario, 'zfs-list.txt'), 'zfs get': zfsFixture(scenario, 'zfs-get.txt') }, log);

  it('is clean on a node as rendered: guests as their files, the pool converged; it only reads', async () => {
    const log: string[] = [];
    const result = await pveDrift({ host: 'pve', guests: [dns, apps], wanted, run: node('converged', { 'pct config 111': fixture('pct-config-111.txt'), 'qm config 121': fixture('qm-config-121.txt') }, log) });
    expect(result.items).toEqual([]);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(log.every((l) => /^(pct config|qm config|zfs list -H|zfs get -H) /.test(l))).toBe(true);
  });

  it('finds a missing guest, changed options and datasets changed by hand, one item each', async () => {
    const result = await pveDrift({
      host: 'pve',
      guests: [dns, missing, apps],
      wanted,
      run: node('drifted', { 'pct config 111': fixture('pct-config-111-drifted.txt'), 'qm config 121': fixture('qm-config-121.txt') }),
    });
    const lines = summary(result.items);
    expect(lines.filter((l) => l.includes('guests/'))).toEqual([
      'drift-guest-option guests/111/memory: 512 -> 1024',
      'drift-guest-option guests/111/mp0: /tank/services/infra/adguard,mp=/opt/AdGuardHome/data -> (not set)',
      'drift-guest-option guests/111/net0: name=eth0,bridge=vmbr0,firewall=1,gw=192.168.0.1,hwaddr=BC:24:11:E6:86:83,ip=192.168.0.11/24,type=veth -> name=eth0,bridge=vmbr1,firewall=1,gw=192.168.0.1,hwaddr=BC:24:11:E6:86:83,ip=192.168.0.11/24,type=veth',
      'drift-guest-option guests/111/protection: (not set) -> 1',
      'drift-guest-missing guests/112: container 112 -> none on the node',
    ]);
    // The `drifted` pool (fixtures/zfs/README.md): values that differ, never ones equal by alias (posixacl).
    expect(lines.filter((l) => l.includes(' zfs/'))).toEqual([
      'drift-dataset-missing zfs/tank/backups: the dataset -> none',
      'drift-dataset-missing zfs/tank/backups/vzdump: the dataset -> none',
      'drift-dataset-property zfs/tank/media/atime: off -> on',
      'drift-dataset-property zfs/tank/media/compression: lz4 -> on',
      'drift-dataset-property zfs/tank/media/recordsize: 1M -> 131072',
      'drift-dataset-property zfs/tank/media/xattr: sa -> on',
      'drift-dataset-property zfs/tank/media/library/compression: lz4 from tank/media -> off',
      'drift-dataset-missing zfs/tank/services/dev: the dataset -> none',
      'drift-dataset-missing zfs/tank/services/downloads: the dataset -> none',
      'drift-dataset-missing zfs/tank/services/games: the dataset -> none',
      'drift-dataset-property zfs/tank/services/infra/compression: lz4 from tank/services -> zstd',
      'drift-dataset-property zfs/tank/services/media/atime: off from tank/services -> on',
      'drift-dataset-missing zfs/tank/services/monitoring: the dataset -> none',
    ]);
    // Creation-only properties that differ cannot be drift a deploy repairs: passed on as the plan's warnings.
    expect(result.findings.map((f) => f.code)).toEqual(['zfs-creation-only', 'zfs-creation-only']);
  });

  it('reports a missing pool as one item', async () => {
    const result = await pveDrift({ host: 'pve', guests: [], wanted, run: fakeNode({}) });
    expect(summary(result.items)).toEqual(['drift-dataset-missing zfs/tank: the pool tank -> none']);
  });

  it('says which command failed when pct fails for another reason', async () => {
    const run: RunZfs = async () => ({ code: 255, stdout: '', stderr: 'ipcc_send_rec[1] failed: Connection refused\n' });
    await expect(pveDrift({ host: 'pve', guests: [dns], run })).rejects.toThrow(/pct config 111.*Connection refused/);
  });
});
