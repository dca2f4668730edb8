import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activateOnNode, findGuestScript, remoteLayout, resolveTarget, silentProgress, type HostContext, type ReleaseInfo, type Session } from '../../src/internal.js';
import { labWith } from '../fixtures.js';
import { recordingShell } from './local-shell.js';

// A container deployed through its Proxmox node: every script sent to the node, in order, with
// the release already uploaded there (pct/qm exist only on Proxmox: the node is a recording shell).
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '..', 'fixtures', 'proxmox', name), 'utf8');
const lab = labWith([]);
const host = { ...lab.hosts[0]!, name: 'lxc-dns', kind: 'lxc' as const, vmid: 111, ostemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst' };
const target = { ...resolveTarget('pve', '127.0.0.1', undefined, 'ssh', {}), via: 'proxmox' as const };
const layout = remoteLayout(target, 'lxc-dns');
const ctx: HostContext = { request: { root: '/', lab: { ...lab, hosts: [host] }, host, hostDir: '/' }, host: 'lxc-dns', env: {}, target, record: { by: 'me', commit: 'c', at: 't' }, progress: silentProgress };

function release(id: string, conf: string, adguard: string): ReleaseInfo & { files: Map<string, string> } {
  const manifest = {
    host: 'lxc-dns', kind: 'lxc', address: '192.168.0.11', vmid: 111, node: 'pve',
    artifacts: [
      { path: 'adguard/AdGuardHome.yaml', kind: 'adguard', sha256: adguard, install: { path: '/opt/AdGuardHome/AdGuardHome.yaml', mode: '0600', owner: 'root:root', restart: 'AdGuardHome.service' } },
      { path: 'proxmox/111.conf', kind: 'pve-lxc', sha256: conf },
    ],
  };
  return { id, host: 'lxc-dns', project: 'lxc-dns', composeFiles: [], services: {}, manifest, secrets: {}, record: ctx.record, files: new Map([['proxmox/111.conf', fixture('lxc-111.desired.conf')]]) };
}

function session(reply: Parameters<typeof recordingShell>[0]): Session & { shell: ReturnType<typeof recordingShell> } {
  return { target, layout, shell: recordingShell(reply), close: async () => {} };
}

describe('a container deployed through its Proxmox node', () => {
  it('switches current, applies the changed guest definition, pushes the changed file, restarts its unit and checks it', async () => {
    const s = session((script) => (script === findGuestScript(111) ? { stdout: `--conf /etc/pve/nodes/pve/lxc/111.conf\n${fixture('lxc-111.host.conf')}` } : {}));
    const next = release('r2', 'conf-2', 'adguard-2');
    await activateOnNode(ctx, s, next, release('r1', 'conf-1', 'adguard-1'), next);
    const current = '/opt/homelab/lxc-dns/current';
    expect(s.shell.scripts.map((x) => x.split('\n')[0])).toEqual([
      `ln -sfn releases/r2 ${current}.next`,
      findGuestScript(111),
      'pct set 111 --cores 1 --net0 name=eth0,bridge=vmbr0,gw=192.168.0.1,ip=192.168.0.11/24,type=veth,hwaddr=BC:24:11:5E:7A:01',
      'pct resize 111 rootfs 8G',
      't=/etc/pve/nodes/pve/lxc/111.conf.tmp.$$',
      'pct status 111 | grep -q running || pct start 111',
      'pct exec 111 -- mkdir -p /opt/AdGuardHome',
      `pct push 111 ${current}/adguard/AdGuardHome.yaml /opt/AdGuardHome/AdGuardHome.yaml --perms 0600 --user root --group root`,
      'pct exec 111 -- systemctl restart AdGuardHome.service',
      'pct exec 111 -- systemctl is-active --quiet AdGuardHome.service',
    ]);
  });

  it('installs a file for the node itself (install.on proxmox-host) on the node, and restarts its unit there', async () => {
    const s = session(() => ({}));
    const exportsEntry = (sha: string) => ({ path: 'nfs/homelab.exports', kind: 'nfs-exports', sha256: sha, install: { path: '/etc/exports.d/homelab.exports', on: 'proxmox-host' as const, mode: '0644', owner: 'root:root', restart: 'nfs-server.service' } });
    const base = release('r2', 'conf-1', 'adguard-1');
    const next = { ...base, manifest: { ...base.manifest, artifacts: [...base.manifest.artifacts, exportsEntry('e2')] } };
    const before = { ...base, id: 'r1', manifest: { ...base.manifest, artifacts: [...base.manifest.artifacts, exportsEntry('e1')] } };
    await activateOnNode(ctx, s, next, before, next);
    expect(s.shell.scripts.slice(1)).toEqual(['install -D -m 0644 -o root -g root /opt/homelab/lxc-dns/current/nfs/homelab.exports /etc/exports.d/homelab.exports\nsystemctl restart nfs-server.service']);
  });

  it('touches neither the guest nor its files when they did not change', async () => {
    const s = session(() => ({}));
    const next = release('r2', 'conf-1', 'adguard-1');
    await activateOnNode(ctx, s, next, release('r1', 'conf-1', 'adguard-1'), next);
    expect(s.shell.scripts.map((x) => x.split('\n')[0])).toEqual(['ln -sfn releases/r2 /opt/homelab/lxc-dns/current.next']);
  });

  it('stops before changing anything when the vmid is another kind of guest', async () => {
    const s = session((script) => (script === findGuestScript(111) ? { stdout: '--conf /etc/pve/nodes/pve/qemu-server/111.conf\nmemory: 512\n' } : {}));
    const next = release('r2', 'conf-2', 'adguard-1');
    await expect(activateOnNode(ctx, s, next, release('r1', 'conf-1', 'adguard-1'), next)).rejects.toThrow('vmid 111 is a VM on pve, but the model makes it a container: nothing was changed');
    expect(s.shell.scripts.some((x) => x.startsWith('pct '))).toBe(false);
  });

  it('refuses a compose stack (pct runs no compose) and says what to set', async () => {
    const s = session(() => ({}));
    const next = { ...release('r2', 'c', 'a'), composeFiles: ['compose.yaml'] };
    await expect(activateOnNode(ctx, s, next, undefined, next)).rejects.toThrow("set deploy.via to 'ssh'");
    expect(s.shell.scripts).toEqual([]);
  });
});
