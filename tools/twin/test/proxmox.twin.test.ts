import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envPrefix, isLxcHost, isVmHost, prefixLength } from '@homelab/kit/internal';
import { requireTool, run } from '@homelab/testing';
import { execSync, HOMELAB_CLI, homelabDeploy, makeNetwork, prepareTwinLab, twinDeployEnv, type TwinLab, type TwinNetwork, type TwinNode } from '../src/index.js';
import { spareAddresses } from '../src/proxmox/addresses.js';
import { startProxmoxNode, type ProxmoxTwin } from '../src/proxmox/node.js';
import { dnsProbes, setSmbTestPasswords, shareProbes, type SmbLogins } from '../src/lxc/probes.js';
import { storageProbes } from '../src/storage/probes.js';
import { rebootProbes, storageCfgProbes } from '../src/proxmox/node-probes.js';
import type { ProbeResult } from '../src/probe.js';

const LXCS = ['lxc-dns', 'lxc-vpn', 'lxc-smb'];
let twinDir: string;
let network: TwinNetwork;
let lab: TwinLab;
let client: TwinNode;
let pve: ProxmoxTwin | undefined;
let env: NodeJS.ProcessEnv;
let logins: SmbLogins;

/** Every probe passed: the failures, with their details, as the assertion's message. */
function expectAllPassed(results: readonly ProbeResult[]): void {
  for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.host} ${r.kind}: ${r.name}${r.detail ? ` (${r.detail})` : ''}`);
  expect(results.length).toBeGreaterThan(0);
  const failed = results.filter((r) => !r.ok).map((r) => `${r.host} ${r.kind}: ${r.name}: ${r.detail}`);
  expect(failed, failed.join('\n')).toEqual([]);
}

describe('the Proxmox layer of the twin', () => {
  beforeAll(async () => {
    twinDir = mkdtempSync(join(tmpdir(), 'twin-pve-'));
    lab = await prepareTwinLab();
    const plan = lab.loaded.lab.facts.network;
    network = makeNetwork(`tp${process.pid % 100000}`, prefixLength(plan), twinDir);
    const [clientAddress, offsiteAddress] = spareAddresses(plan, 2);
    client = network.addNode('client', clientAddress!);
    const key = join(twinDir, 'deploy_key');
    const k = run(requireTool('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
    if (k.code !== 0) throw new Error(k.stderr);
    pve = await startProxmoxNode(network, lab, { twinDir, authorizedKeys: `${key}.pub`, offsiteAddress: offsiteAddress! });
    env = twinDeployEnv(lab, key, [pve.sshd]);
    logins = await setSmbTestPasswords(lab);
  });

  afterAll(() => {
    pve?.teardown();
    network?.teardown();
    if (twinDir) rmSync(twinDir, { recursive: true, force: true });
    lab?.ws.remove();
  });

  it('plan shows what the fresh node lacks and what deploy will run for it', async () => {
    const r = await client.exec([process.execPath, HOMELAB_CLI, 'plan', 'pve'], { cwd: lab.ws.root, env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const template = lab.loaded.lab.hosts.filter(isLxcHost)[0]!.ostemplate;
    expect(r.stdout).toContain(`missing   container template ${template}`);
    expect(r.stdout).toContain(`$ pveam update && pveam download local ${template.split('/').pop()}`);
    expect(r.stdout).toContain('missing   the folder of directory mappings /etc/pve/mapping');
    // A fresh node has neither sanoid nor the kernel NFS server: deploy installs them as node-ready steps.
    for (const pkg of ['sanoid', 'nfs-kernel-server']) {
      expect(r.stdout).toContain(`missing   ${pkg} (`);
      expect(r.stdout).toContain(`$ DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${pkg}`);
    }
    expect(pve!.calls().filter((l) => !l.startsWith('pvesm path '))).toEqual([]);
  });

  it('deploys the node: datasets, sanoid, syncoid units, directory mappings', async () => {
    const r = await homelabDeploy(client, lab, 'pve', env);
    expect(r.stdout + r.stderr, 'homelab deploy pve').toContain('deployed');
    expect(r.code).toBe(0);
  });

  it('a second deploy of the node finds it ready and changes nothing', async () => {
    const before = pve!.calls().length;
    const r = await homelabDeploy(client, lab, 'pve', env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('nothing to do');
    // Only reads: each need of the node is checked again (pvesm path), none is met again.
    expect(pve!.calls().slice(before).filter((l) => !l.startsWith('pvesm path '))).toEqual([]);
  });

  it.each([
    ['lxc-dns', ['ca-certificates (Debian)', 'AdGuard Home v0.107.79 (https://github.com/AdguardTeam/AdGuardHome/releases/download/v0.107.79/AdGuardHome_linux_amd64.tar.gz']],
    ['lxc-vpn', ['ca-certificates (Debian)', 'tailscale (https://pkgs.tailscale.com/stable/debian bookworm main, keyring https://pkgs.tailscale.com/stable/debian/bookworm.noarmor.gpg)']],
    ['lxc-smb', ['samba (Debian)']],
  ] as const)('plan lists what %s\'s deploy installs in the container, and from where', async (host, installs) => {
    const r = await client.exec([process.execPath, HOMELAB_CLI, 'plan', host], { cwd: lab.ws.root, env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const section = r.stdout.slice(r.stdout.indexOf('installs in the container'));
    for (const install of installs) expect(section).toContain(`  ${install}`);
  });

  it(`deploys ${LXCS.join(', ')} through the node (pct), side by side (each deploy holds its own lock)`, async () => {
    const results = await Promise.all(LXCS.map(async (host) => ({ host, r: await homelabDeploy(client, lab, host, env) })));
    for (const { host, r } of results) expect(r.code, `${host}: ${r.stdout}${r.stderr}`).toBe(0);
  });

  it('a VM that does not exist yet is created through the node (qm), and deploy says to deploy again', async () => {
    const vm = lab.loaded.lab.hosts.find(isVmHost)!;
    // No namespace answers at the VM's address here (the twin's runner starts VMs): deploy finds it unreachable.
    const vmEnv = { ...env, HOMELAB_DEPLOY_ALLOWED_ADDRESSES: `${env.HOMELAB_DEPLOY_ALLOWED_ADDRESSES},${vm.address}`, [`${envPrefix(vm.name)}HOSTKEY`]: pve!.sshd.hostKey };
    const r = await homelabDeploy(client, lab, vm.name, vmEnv);
    expect(r.stdout + r.stderr).toContain('[guest-created]');
    const calls = pve!.calls();
    expect(calls.some((l) => l.startsWith(`qm create ${vm.vmid} --name ${vm.name} `))).toBe(true);
    expect(calls).toContain(`qm start ${vm.vmid}`);
    const status = await pve!.node.exec(['qm', 'status', String(vm.vmid)]);
    expect(status.stdout.trim()).toBe('status: running');
    const conf = await pve!.node.exec(['cat', `/etc/pve/nodes/${pve!.host.node}/qemu-server/${vm.vmid}.conf`]);
    expect(conf.stdout).toMatch(/^sshkeys: \S+$/m);
    expect(conf.stdout).toMatch(/^vmgenid: /m);
  });

  it('DNS: every published name resolves from the client to the host that serves it', async () => {
    expectAllPassed(await dnsProbes(lab, client));
  });

  it('shares: smbclient from the client reads and writes exactly where each login is declared', async () => {
    expectAllPassed(await shareProbes(lab, pve!, client, logins));
  });

  it('each container runs what it installed, from its own disk: the units are enabled, the daemons are the installed ones', async () => {
    const inCt = async (host: string, argv: string[]) => pve!.node.exec(['pct', 'exec', String(pve!.containers.get(host)!.vmid), '--', ...argv]);
    const expected: Record<string, string[]> = { 'lxc-dns': ['AdGuardHome.service', 'prometheus-node-exporter.service'], 'lxc-vpn': ['tailscaled.service', 'tailscale-up.service', 'prometheus-node-exporter.service'], 'lxc-smb': ['smbd.service'] };
    for (const [host, units] of Object.entries(expected)) {
      const enabled = await inCt(host, ['systemctl', 'is-enabled', ...units]);
      expect(enabled.code, `${host}: ${enabled.stdout}${enabled.stderr}`).toBe(0);
    }
    // The container's own /usr: smbd and node-exporter are Debian's, installed by its apt-get, not the machine's.
    const smbd = await inCt('lxc-smb', ['dpkg-query', '-W', '-f=${Version}', 'samba']);
    expect(smbd.code, smbd.stderr).toBe(0);
    const ne = await inCt('lxc-dns', ['dpkg-query', '-W', '-f=${Version}', 'prometheus-node-exporter']);
    expect(ne.code, ne.stderr).toBe(0);
    console.log(`containers run Debian's samba ${smbd.stdout} and prometheus-node-exporter ${ne.stdout} (real daemons, installed in the container)`);
    // A unit nothing installed is unknown, as systemd says.
    const unknown = await inCt('lxc-smb', ['systemctl', 'restart', 'AdGuardHome.service']);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain('Unit AdGuardHome.service not found.');
  });

  it('a restart of each container starts only its enabled units, and DNS and the shares answer again', async () => {
    for (const host of LXCS) {
      const vmid = String(pve!.containers.get(host)!.vmid);
      for (const argv of [['pct', 'stop', vmid], ['pct', 'start', vmid]]) {
        const r = await pve!.node.exec(argv);
        expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      }
    }
    // Boot started what is enabled: the package's tailscaled, then deploy's tailscale-up (After=tailscaled.service).
    const up = await pve!.node.exec(['pct', 'exec', String(pve!.containers.get('lxc-vpn')!.vmid), '--', 'systemctl', 'is-active', 'tailscaled.service', 'tailscale-up.service']);
    expect(up.stdout.trim().split('\n'), up.stderr).toEqual(['active', 'active']);
    expectAllPassed([...(await dnsProbes(lab, client)), ...(await shareProbes(lab, pve!, client, logins))]);
  });

  it('storage: pool, dataset plan, sanoid, syncoid to the offsite pool, restore drill', async () => {
    expectAllPassed(await storageProbes(lab, pve!));
  });

  it('the node\'s storage.cfg: Proxmox\'s parser reads the installer\'s storages and the lab\'s', async () => {
    expectAllPassed(await storageCfgProbes(lab, pve!));
  });

  it('reboot: the node\'s units and each container\'s that ran before run again (only enabled units start at boot; containers by onboot), and DNS and the shares answer', async () => {
    const results = await rebootProbes(pve!, lab.loaded.lab.hosts);
    expectAllPassed(results);
    for (const host of LXCS) expect(results.some((r) => r.host === host && / runs again in /.test(r.name)), `${host} rebooted with the node`).toBe(true);
    expectAllPassed([...(await dnsProbes(lab, client)), ...(await shareProbes(lab, pve!, client, logins))]);
  });

  it('records every Proxmox call deploy made', () => {
    const calls = pve!.calls();
    console.log([...pve!.notes, 'Proxmox calls:', ...calls.map((c) => `  ${c}`), 'zfs-fuse mappings:', ...pve!.storage.mappings().map((m) => `  ${m}`)].join('\n'));
    for (const c of lab.loaded.lab.hosts.filter((h) => h.kind === 'lxc')) {
      expect(calls.some((l) => l.startsWith(`pct create ${(c as { vmid: number }).vmid} `))).toBe(true);
    }
    expect(calls.some((l) => l.startsWith('pct push '))).toBe(true);
    // The fresh node made ready by deploy pve: each template downloaded once; virtiofsd is there already (PVE 8.4 ships it).
    for (const t of new Set(lab.loaded.lab.hosts.filter(isLxcHost).map((h) => h.ostemplate))) {
      expect(calls.filter((l) => l === `pveam download local ${t.split('/').pop()}`)).toHaveLength(1);
    }
    expect(calls).not.toContain('apt-get install -y -q virtiofsd');
    for (const pkg of ['sanoid', 'nfs-kernel-server']) expect(calls.filter((l) => l === `apt-get install -y -q ${pkg}`)).toHaveLength(1);
  });

  it('tears down: no namespace, mount or pool of this twin remains', () => {
    pve!.teardown();
    network.teardown();
    expect(execSync(['ip', 'netns', 'list']).stdout).not.toContain(network.id);
    expect(execSync(['findmnt', '-rn', '-o', 'TARGET']).stdout).not.toContain(twinDir);
    expect(pve!.storage.running(), 'zfs-fuse still runs').toBe(false);
    expect(readdirSync(pve!.storage.dir).filter((f) => f.endsWith('.img')), 'pool files').toEqual([]);
  });
});
