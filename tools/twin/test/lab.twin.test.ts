import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLxcHost, loadLab } from '@homelab/kit/internal';
import { repoRoot } from '@homelab/testing';
import { closingLine, formatReport } from '../src/report.js';
import { runTwin } from '../src/run.js';

// The whole lab, up once (vm-media loses power and boots again: rebootByDefault): every probe of
// the report is one test here, so a failure names its probe.
const report = await runTwin({ say: (line) => console.log(`twin: ${line}`) });
console.log(formatReport(report));
if (process.env.HOMELAB_TWIN_JSON) writeFileSync(process.env.HOMELAB_TWIN_JSON, JSON.stringify(report, null, 2));

describe('the lab twin', () => {
  for (const host of [...new Set(report.probes.map((p) => p.host))]) {
    describe(host, () => {
      for (const [i, p] of report.probes.entries()) {
        if (p.host !== host) continue;
        it(`${i} [${p.kind}] ${p.name}`, () => {
          expect(p.ok, p.detail).toBe(true);
        });
      }
    });
  }
  it('probes every kind the issue names', () => {
    const kinds = new Set(report.probes.map((p) => p.kind));
    for (const k of ['deploy', 'container', 'secret', 'volume', 'route', 'scrape', 'reboot', 'redeploy'] as const) expect(kinds, `no ${k} probe ran`).toContain(k);
  });
  it('acts as issue 27\'s actors: a foothold in a container of each VM but the proxy\'s host, and a tailnet device, each judged on every machine', () => {
    const named = (re: RegExp) => report.probes.filter((p) => p.kind === 'firewall' && re.test(p.name));
    for (const vm of ['vm-media', 'vm-apps']) expect(named(new RegExp(`^from a container of ${vm} \\(`)).map((p) => p.host)).toEqual(expect.arrayContaining(['pve', 'lxc-smb', 'vm-infra']));
    const tailnet = named(/^from a tailnet device through lxc-vpn: /);
    expect(tailnet.map((p) => p.host)).toContain('lxc-vpn');
    expect([...tailnet, ...named(/^from a container of /)].filter((p) => !p.ok).map((p) => `${p.host}: ${p.name}: ${p.detail}`)).toEqual([]);
    expect(tailnet.find((p) => p.host === 'vm-infra')?.name).toMatch(/only 80, 443 answer/);
    expect(tailnet.find((p) => p.host === 'lxc-smb')?.name).toMatch(/nothing answers/);
    expect(named(/^the tailnet probe fails under Tailscale's default policy/)[0]?.detail).toMatch(/192\.168\.0\.13:445 \(samba\)/);
  });
  it('vm-media comes back from a power loss with every service behind gluetun (which dockerd alone leaves down), its probes run again', () => {
    for (const s of ['qbittorrent', 'radarr', 'sonarr', 'prowlarr']) expect(report.probes.some((p) => p.host === 'vm-media' && p.kind === 'reboot' && p.name.startsWith(`${s} `) && p.ok), s).toBe(true);
    expect(report.probes.filter((p) => p.host === 'vm-media' && p.name.startsWith('after the reboot: ')).length).toBeGreaterThan(20);
    // The proxy reaches what vm-media runs again; the routes to the hosts that kept running are not probed twice.
    const routesAfter = report.probes.filter((p) => p.kind === 'route' && p.name.startsWith('after the reboot: '));
    expect(routesAfter.map((p) => p.name)).toContainEqual(expect.stringMatching(/^after the reboot: route sonarr /));
    expect(routesAfter.filter((p) => /forward auth|route (nextcloud|grafana) /.test(p.name))).toEqual([]);
  });
  it('made the fresh Proxmox node ready and every guest through it, each call once: the record of the node\'s calls', async () => {
    const calls = report.proxmoxCalls;
    console.log(['Proxmox calls:', ...calls.map((c) => `  ${c}`)].join('\n'));
    const hosts = (await loadLab(repoRoot)).lab.hosts;
    for (const c of hosts.filter(isLxcHost)) expect(calls.some((l) => l.startsWith(`pct create ${c.vmid} `)), c.name).toBe(true);
    expect(calls.some((l) => l.startsWith('pct push '))).toBe(true);
    // Each template downloaded once; virtiofsd is there already (PVE 8.4 ships it); the node's packages installed once.
    for (const t of new Set(hosts.filter(isLxcHost).map((h) => h.ostemplate))) expect(calls.filter((l) => l === `pveam download local ${t.split('/').pop()}`)).toHaveLength(1);
    expect(calls).not.toContain('apt-get install -y -q virtiofsd');
    for (const pkg of ['sanoid', 'nfs-kernel-server']) expect(calls.filter((l) => l === `apt-get install -y -q ${pkg}`)).toHaveLength(1);
    // ... and plan of the fresh node named each of them before (with the apt-get deploy ran).
    const plan = report.probes.find((p) => /^plan pve on the fresh node/.test(p.name));
    expect(plan?.ok, plan?.detail).toBe(true);
    for (const pkg of ['sanoid', 'nfs-kernel-server']) expect(plan!.detail).toMatch(new RegExp(`missing packages: .*\\b${pkg}\\b`));
    // The VM deployed before it existed was created once, by that deploy.
    const created = report.probes.find((p) => / before it exists creates it through the node/.test(p.name));
    expect(created?.ok, created?.detail).toBe(true);
    const vmid = hosts.find((h) => h.name === created!.host)!.vmid;
    expect(calls.filter((l) => l.startsWith(`qm create ${vmid} `))).toHaveLength(1);
  });
  it('ends with the closing line', () => {
    expect(closingLine(report)).toMatch(/^twin: \d+ probes, \d+ passed, \d+ failed$/);
  });
});
