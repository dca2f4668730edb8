import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { adguardRelease, describeStep, lxcDialect, parseGuestConf, planGuest, pushSteps, qemuDialect, stepScript, TAILSCALE_PACKAGE, type GuestStep } from '../src/internal.js';

// pct and qm exist only on Proxmox: these tests pin the exact command lines and file contents
// deploy sends to the node, against small /etc/pve/... files in the formats Proxmox writes.
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'proxmox', name), 'utf8');
const TEMPLATE = 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst';
const lines = (steps: readonly GuestStep[]) => steps.map(describeStep);
const argvs = (steps: readonly GuestStep[]) => steps.flatMap((s) => (s.kind === 'run' ? [s.argv] : []));

const RAW_SCRIPT = (path: string) =>
  [
    `t=${path}.tmp.$$`,
    `{ sed -n '1,/^\\[/{/^\\[/!p}' ${path} | grep -v '^lxc\\.' || true; printf '%s\\n' 'lxc.cgroup2.devices.allow: c 10:200 rwm' 'lxc.mount.entry: /dev/net/tun dev/net/tun none bind,create=file'; sed -n '/^\\[/,$p' ${path}; } > "$t"`,
    `mv "$t" ${path}`,
  ].join('\n');

describe('the /etc/pve file format', () => {
  it('reads options, the URI-encoded description and raw lxc.* lines, and stops at the first section', () => {
    const conf = parseGuestConf(fixture('lxc-111.host.conf'));
    expect(conf.description).toBe("AdGuard Home: the lab's DNS");
    expect(conf.options.get('cores')).toBe('2');
    expect(conf.options.get('rootfs')).toBe('local-zfs:subvol-111-disk-0,size=4G');
    expect(conf.options.has('snaptime')).toBe(false);
    expect(conf.raw).toEqual([['lxc.cgroup2.devices.allow', 'c 10:200 rwm']]);
  });

  it('reads `lxc.key = value` as well as `lxc.key: value`', () => {
    expect(parseGuestConf('lxc.idmap = u 0 100000 65536\ncores: 1\n').raw).toEqual([['lxc.idmap', 'u 0 100000 65536']]);
  });
});

describe('pct: a container', () => {
  const desired = fixture('lxc-111.desired.conf');

  it('is created with pct create <vmid> <ostemplate> --key value, volumes allocated, raw lines written, started (onboot)', () => {
    const plan = planGuest({ dialect: lxcDialect, vmid: 111, node: 'pve', desired, current: undefined, ostemplate: TEMPLATE, force: false });
    expect(plan.exists).toBe(false);
    expect(plan.skipped).toEqual([]);
    expect(argvs(plan.steps)).toEqual([
      ['pct', 'create', '111', TEMPLATE, '--arch', 'amd64', '--cores', '1', '--features', 'nesting=1', '--hostname', 'lxc-dns', '--memory', '512', '--mp0', '/tank/services/dns,mp=/opt/AdGuardHome/work,backup=0', '--net0', 'name=eth0,bridge=vmbr0,gw=192.168.0.1,ip=192.168.0.11/24,type=veth', '--onboot', '1', '--ostype', 'debian', '--rootfs', 'local-zfs:8', '--swap', '256', '--unprivileged', '1', '--description', "AdGuard Home: the lab's DNS"],
      ['pct', 'start', '111'],
    ]);
    expect(stepScript(plan.steps[1]!)).toBe(RAW_SCRIPT('/etc/pve/nodes/pve/lxc/111.conf'));
    expect(stepScript(plan.steps[0]!)).toBe(
      `pct create 111 ${TEMPLATE} --arch amd64 --cores 1 --features nesting=1 --hostname lxc-dns --memory 512 --mp0 /tank/services/dns,mp=/opt/AdGuardHome/work,backup=0 --net0 name=eth0,bridge=vmbr0,gw=192.168.0.1,ip=192.168.0.11/24,type=veth --onboot 1 --ostype debian --rootfs local-zfs:8 --swap 256 --unprivileged 1 --description 'AdGuard Home: the lab'\\''s DNS'`,
    );
  });

  it('is not created without an ostemplate, and says where to name one', () => {
    const plan = planGuest({ dialect: lxcDialect, vmid: 111, desired, current: undefined, force: false });
    expect(plan.steps).toEqual([]);
    expect(plan.skipped[0]).toContain('names no ostemplate');
  });

  it('gets pct set with only the changed options (its MAC kept), pct resize for a grown disk, its raw lines; a removed option stays without --force', () => {
    const plan = planGuest({ dialect: lxcDialect, vmid: 111, node: 'pve', desired, current: fixture('lxc-111.host.conf'), force: false });
    expect(lines(plan.steps)).toEqual([
      'pct set 111 --cores 1 --net0 name=eth0,bridge=vmbr0,gw=192.168.0.1,ip=192.168.0.11/24,type=veth,hwaddr=BC:24:11:5E:7A:01',
      'pct resize 111 rootfs 8G',
      RAW_SCRIPT('/etc/pve/nodes/pve/lxc/111.conf'),
    ]);
    expect(plan.skipped).toEqual(['left in place, since removing them needs --force: mp1.']);
  });

  it('with --force, removes what the file no longer has (pct set --delete)', () => {
    const plan = planGuest({ dialect: lxcDialect, vmid: 111, node: 'pve', desired, current: fixture('lxc-111.host.conf'), force: true });
    expect(lines(plan.steps)[0]).toBe('pct set 111 --cores 1 --net0 name=eth0,bridge=vmbr0,gw=192.168.0.1,ip=192.168.0.11/24,type=veth,hwaddr=BC:24:11:5E:7A:01 --delete mp1');
    expect(plan.skipped).toEqual([]);
  });

  it('in sync: no step at all (digest, unused volumes and snapshots are the node\'s own)', () => {
    const host = `${desired.replace('net0: name=eth0,bridge=vmbr0,', 'net0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:5E:7A:01,')}digest: abc\nunused0: local-zfs:subvol-111-disk-9\n\n[snap]\ncores: 9\n`;
    const plan = planGuest({ dialect: lxcDialect, vmid: 111, desired, current: host, force: false });
    expect(plan.steps).toEqual([]);
    expect(plan.skipped).toEqual([]);
  });

  it('never shrinks a disk or moves it to another storage', () => {
    const host = desired.replace('rootfs: local-zfs:subvol-111-disk-0,size=8G', 'rootfs: local-zfs:subvol-111-disk-0,size=16G').replace('mp0: /tank', 'mp0: /tank');
    expect(planGuest({ dialect: lxcDialect, vmid: 111, desired, current: host, force: true }).skipped).toEqual(['rootfs: shrinking it from 16G to 8G is not possible; it stays at 16G.']);
    const moved = desired.replace('rootfs: local-zfs:subvol-111-disk-0,size=8G', 'rootfs: local-lvm:vm-111-disk-0,size=8G');
    const plan = planGuest({ dialect: lxcDialect, vmid: 111, desired, current: moved, force: true });
    expect(plan.steps).toEqual([]);
    expect(plan.skipped[0]).toContain('rootfs: moving it from local-lvm to local-zfs is not done by deploy (pct move-volume 111 rootfs local-zfs)');
  });

  it('is recreated for a create-only change only with --force: stop, destroy, create', () => {
    const host = desired.replace('unprivileged: 1', 'unprivileged: 0');
    const refused = planGuest({ dialect: lxcDialect, vmid: 111, desired, current: host, ostemplate: TEMPLATE, force: false });
    expect(refused.steps).toEqual([]);
    expect(refused.skipped).toEqual(['container 111 must be created again for unprivileged 0 -> 1: that destroys it and its disks; run with --force to do it.']);
    const forced = planGuest({ dialect: lxcDialect, vmid: 111, desired, current: host, ostemplate: TEMPLATE, force: true });
    expect(lines(forced.steps).slice(0, 3)).toEqual(['if pct status 111 | grep -q running; then pct stop 111; fi', 'pct destroy 111', expect.stringMatching(/^pct create 111 local:vztmpl\//)]);
  });

  it('gets its files with pct push (folder made first) and each unit restarted once', () => {
    const steps = pushSteps(111, [
      { source: '/opt/homelab/lxc-dns/current/adguard/AdGuardHome.yaml', path: '/opt/AdGuardHome/AdGuardHome.yaml', mode: '0600', owner: 'root:root', restart: 'AdGuardHome.service' },
      { source: '/opt/homelab/lxc-dns/current/adguard/extra.conf', path: '/etc/extra.conf', restart: 'AdGuardHome.service' },
    ]);
    expect(lines(steps)).toEqual([
      'pct exec 111 -- mkdir -p /opt/AdGuardHome',
      'pct push 111 /opt/homelab/lxc-dns/current/adguard/AdGuardHome.yaml /opt/AdGuardHome/AdGuardHome.yaml --perms 0600 --user root --group root',
      'pct exec 111 -- mkdir -p /etc',
      'pct push 111 /opt/homelab/lxc-dns/current/adguard/extra.conf /etc/extra.conf --perms 0644',
      'pct exec 111 -- systemctl restart AdGuardHome.service',
    ]);
  });

  it('installs what Debian does not ship from upstream: the CA bundle first, Tailscale from its repository and keyring, AdGuard Home from its pinned release', () => {
    const steps = pushSteps(112, [
      { source: '/r/tailscaled.default', path: '/etc/default/tailscaled', restart: 'tailscaled.service', installs: TAILSCALE_PACKAGE },
      { source: '/r/AdGuardHome.yaml', path: '/opt/AdGuardHome/AdGuardHome.yaml', restart: 'AdGuardHome.service', installs: adguardRelease('v0.107.79', '/opt/AdGuardHome', 'a'.repeat(64)) },
      { source: '/r/tailscale-up.service', path: '/etc/systemd/system/tailscale-up.service', restart: 'tailscale-up.service', installs: TAILSCALE_PACKAGE },
    ]);
    const installs = steps.filter((s) => s.kind === 'run' && s.argv.includes('sh')).map((s) => s.why);
    expect(installs).toEqual([
      'install ca-certificates (Debian) in 112 (when absent)',
      'install tailscale (https://pkgs.tailscale.com/stable/debian bookworm main, keyring https://pkgs.tailscale.com/stable/debian/bookworm.noarmor.gpg) in 112 (when absent)',
      `install AdGuard Home v0.107.79 (https://github.com/AdguardTeam/AdGuardHome/releases/download/v0.107.79/AdGuardHome_linux_amd64.tar.gz, sha256 ${'a'.repeat(64)}) in 112 (when absent)`,
    ]);
    const script = (i: number) => (steps[i] as { argv: string[] }).argv.at(-1)!;
    expect(script(2)).toContain(`/usr/lib/apt/apt-helper download-file https://github.com/AdguardTeam/AdGuardHome/releases/download/v0.107.79/AdGuardHome_linux_amd64.tar.gz /tmp/AdGuardHome_linux_amd64.tar.gz SHA256:${'a'.repeat(64)}`);
    expect(script(2)).toMatch(/test -f \/etc\/systemd\/system\/AdGuardHome\.service \|\| \/opt\/AdGuardHome\/AdGuardHome -s install/);
    expect(script(1)).toContain('/usr/lib/apt/apt-helper download-file https://pkgs.tailscale.com/stable/debian/bookworm.noarmor.gpg /usr/share/keyrings/tailscale-archive-keyring.gpg');
    expect(script(1)).toContain("'deb [signed-by=/usr/share/keyrings/tailscale-archive-keyring.gpg] https://pkgs.tailscale.com/stable/debian bookworm main' > /etc/apt/sources.list.d/tailscale.list");
    for (let i = 0; i < 3; i++) expect(spawnSync('sh', ['-n', '-c', script(i)]).status, script(i)).toBe(0);
    // Deploy's own unit file is enabled (a boot starts it); the package's and the release's enable themselves.
    expect(lines(steps).slice(-4)).toEqual(['pct exec 112 -- systemctl enable tailscale-up.service', 'pct exec 112 -- systemctl restart AdGuardHome.service', 'pct exec 112 -- systemctl restart tailscale-up.service', 'pct exec 112 -- systemctl restart tailscaled.service']);
  });

  it('installs a file\'s Debian package first, once, only when dpkg does not list it (run here against a dpkg status file)', () => {
    const steps = pushSteps(111, [
      { source: '/r/node-exporter/prometheus-node-exporter.default', path: '/etc/default/prometheus-node-exporter', restart: 'prometheus-node-exporter.service', installs: { from: 'debian', package: 'prometheus-node-exporter' } },
      { source: '/r/x', path: '/etc/x', restart: 'prometheus-node-exporter.service', installs: { from: 'debian', package: 'prometheus-node-exporter' } },
    ]);
    const install = steps.filter((s) => s.kind === 'run' && s.argv.includes('sh'));
    expect(install).toHaveLength(1);
    expect(lines(steps)[0]).toMatch(/^pct exec 111 -- sh -c /);
    expect(lines(steps).at(-1)).toBe('pct exec 111 -- systemctl restart prometheus-node-exporter.service');
    // The script itself, with dpkg-query and apt-get stood in by a folder on PATH.
    const dir = mkdtempSync(join(tmpdir(), 'homelab-pkg-'));
    try {
      const script = (install[0] as { argv: string[] }).argv.at(-1)!;
      writeFileSync(join(dir, 'dpkg-query'), `#!/bin/sh\n[ -f ${dir}/installed ] && echo 'install ok installed'\n`, { mode: 0o755 });
      writeFileSync(join(dir, 'apt-get'), `#!/bin/sh\necho "$@" >> ${dir}/apt.log\n[ "$1" = install ] || exit 0\ntouch ${dir}/installed\n`, { mode: 0o755 });
      const run = () => spawnSync('sh', ['-ec', script], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin` } });
      expect(run().status).toBe(0);
      expect(run().status).toBe(0);
      expect(readFileSync(join(dir, 'apt.log'), 'utf8').trim().split('\n')).toEqual(['update -q', 'install -y -q --no-install-recommends prometheus-node-exporter']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('its raw-lines script rewrites exactly the lxc.* lines of the main section (run here on a copy)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'homelab-pve-'));
    try {
      const file = join(dir, '111.conf');
      writeFileSync(file, fixture('lxc-111.host.conf'));
      const step = planGuest({ dialect: lxcDialect, vmid: 111, node: 'pve', desired, current: fixture('lxc-111.host.conf'), force: false }).steps[2]!;
      const r = spawnSync('sh', ['-ec', stepScript(step).replaceAll('/etc/pve/nodes/pve/lxc/111.conf', file)], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const after = readFileSync(file, 'utf8');
      expect(parseGuestConf(after).raw).toEqual(parseGuestConf(desired).raw);
      expect(parseGuestConf(after).options).toEqual(parseGuestConf(fixture('lxc-111.host.conf')).options);
      expect(after.slice(after.indexOf('[before-upgrade]'))).toBe(fixture('lxc-111.host.conf').slice(fixture('lxc-111.host.conf').indexOf('[before-upgrade]')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('qm: a VM', () => {
  const desired = fixture('qemu-122.desired.conf');

  it('is created with qm create --key value: disks allocated, the cloud-init drive by storage, SSH keys from a file, started (onboot)', () => {
    const plan = planGuest({ dialect: qemuDialect, vmid: 122, desired, current: undefined, force: false });
    expect(lines(plan.steps)).toEqual([
      'write /tmp/homelab-122-sshkeys.pub (0600)',
      "qm create 122 --agent 1 --boot order=scsi0 --cicustom user=local:snippets/vm-media-user.yaml --cores 4 --cpu host --ide2 local-zfs:cloudinit --ipconfig0 ip=192.168.0.22/24,gw=192.168.0.1 --memory 6144 --name vm-media --net0 virtio,bridge=vmbr0 --onboot 1 --ostype l26 --scsi0 local-zfs:64,discard=on,iothread=1 --scsihw virtio-scsi-single --serial0 socket --sshkeys /tmp/homelab-122-sshkeys.pub --description 'vm-media: media automation'",
      'rm -f /tmp/homelab-122-sshkeys.pub',
      'qm start 122',
    ]);
    const keys = plan.steps[0]!;
    expect(keys.kind === 'write' && keys.content).toBe('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabTestKey deploy@homelab\n');
    expect(stepScript(keys)).toBe(
      "mkdir -p /tmp\n(umask 077 && base64 -d > /tmp/homelab-122-sshkeys.pub) <<'__HL_EOF__' && chmod 0600 /tmp/homelab-122-sshkeys.pub\nc3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5URTVBQUFBSUhvbWVsYWJUZXN0S2V5IGRlcGxv\neUBob21lbGFiCg==\n__HL_EOF__",
    );
  });

  it('gets qm set with only the changed options (its MAC kept) and qm resize; generated ids and the cloud-init volume name are the node\'s', () => {
    const plan = planGuest({ dialect: qemuDialect, vmid: 122, desired, current: fixture('qemu-122.host.conf'), force: false });
    expect(lines(plan.steps)).toEqual(['qm set 122 --cores 4 --net0 virtio=BC:24:11:2C:69:EC,bridge=vmbr0', 'qm resize 122 scsi0 64G']);
    expect(plan.skipped).toEqual([]);
  });

  it('in sync: nothing to run', () => {
    const host = fixture('qemu-122.host.conf').replace('cores: 2', 'cores: 4').replace('firewall=1', '').replace('bridge=vmbr0,', 'bridge=vmbr0').replace('size=32G', 'size=64G');
    expect(planGuest({ dialect: qemuDialect, vmid: 122, desired, current: host, force: false }).steps).toEqual([]);
  });
});
