import { describe, expect, it } from 'vitest';
import { defineHost, secret, validateLab, type DaemonDef, type HostDef, type Lab } from '../src/internal.js';
import { adguard, changedDaemon, dataset, lxc, lxcLab, nfs, samba, tailscale } from './lxc-fixtures.js';
import { realLab, vm, web } from './fixtures.js';
import { pveLxcRule } from '../src/validate/rules/pve-lxc.js';
import { lxcMountsRule } from '../src/validate/rules/lxc-mounts.js';
import { daemonsRule } from '../src/validate/rules/daemons.js';
import { adguardRule } from '../src/validate/rules/adguard.js';
import { tailscaleRule } from '../src/validate/rules/tailscale.js';
import { sambaRule } from '../src/validate/rules/samba.js';
import { nfsRule } from '../src/validate/rules/nfs.js';
import { sambaSecretsRule } from '../src/validate/rules/samba-secrets.js';

const errors = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'error');
const warnings = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'warning');

describe('the base container and the real LXCs', () => {
  it('have no errors and no warnings of their own', () => {
    expect(validateLab(lxcLab()).filter((f) => f.path.startsWith('lxc-'))).toEqual([]);
    expect(errors(lxcLab())).toEqual([]);
    expect(errors(realLab).filter((f) => f.path.startsWith('lxc-'))).toEqual([]);
    expect(warnings(realLab).filter((f) => f.path.startsWith('lxc-'))).toEqual([]);
  });
});

const mounts = lxc.mounts;
type Case = { name: string; host?: Record<string, unknown>; daemons?: DaemonDef[]; code: string; path: string; beside?: HostDef };

/** A VM beside the container (vm-dev, owner of services/dev) whose web server keeps its keys in services/dev/web. */
const vmBeside: HostDef = defineHost(vm, { services: [{ ...web, volumes: [{ dataset: dataset('services/dev'), sub: 'web', target: '/data', sensitive: 'the test keys' }] }] });

// Each row breaks one rule and names the one finding it must produce.
const cases: Case[] = [
  // pve-lxc: every key of the conf, as rendered
  { name: 'an underscore in the hostname', host: { name: 'lxc_dns' }, code: 'lxc-hostname-invalid', path: 'lxc_dns/name' },
  { name: 'a hostname ending in a hyphen', host: { name: 'lxc-' }, code: 'lxc-hostname-invalid', path: 'lxc-/name' },
  { name: 'zero cores', host: { cores: 0 }, code: 'lxc-cores-range', path: 'lxc-dns/cores' },
  { name: 'fractional cores', host: { cores: 1.5 }, code: 'lxc-cores-range', path: 'lxc-dns/cores' },
  { name: 'more cores than Proxmox takes', host: { cores: 9000 }, code: 'lxc-cores-range', path: 'lxc-dns/cores' },
  { name: 'memory below 16 MiB', host: { memoryMiB: 8 }, code: 'lxc-memory-range', path: 'lxc-dns/memoryMiB' },
  { name: 'negative swap', host: { swapMiB: -1 }, code: 'lxc-swap-range', path: 'lxc-dns/swapMiB' },
  { name: 'a nameserver by name', host: { nameservers: ['dns.local'] }, code: 'lxc-nameserver-invalid', path: 'lxc-dns/nameservers' },
  { name: 'an address outside the subnet', host: { address: '10.0.0.5' }, code: 'lxc-net-invalid', path: 'lxc-dns/address' },
  { name: 'a multicast MAC', host: { hwaddr: '01:00:5E:00:00:01' }, code: 'lxc-net-invalid', path: 'lxc-dns/hwaddr' },
  { name: 'a malformed MAC', host: { hwaddr: 'BC:24:11' }, code: 'lxc-net-invalid', path: 'lxc-dns/hwaddr' },
  { name: 'a storage id with a space', host: { rootfs: { storage: 'local zfs' } }, code: 'lxc-rootfs-invalid', path: 'lxc-dns/rootfs' },
  { name: 'a one-letter storage id', host: { rootfs: { storage: 'z' } }, code: 'lxc-rootfs-invalid', path: 'lxc-dns/rootfs' },
  { name: 'a template Proxmox\'s index no longer has', host: { ostemplate: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst' }, code: 'lxc-template-unknown', path: 'lxc-dns/ostemplate' },
  { name: 'a root disk of 0 GiB', host: { diskGiB: 0 }, code: 'lxc-rootfs-invalid', path: 'lxc-dns/diskGiB' },
  { name: 'a rootfs mount option Proxmox refuses', host: { rootfs: { storage: 'local-zfs', mountOptions: ['sync'] } }, code: 'lxc-rootfs-invalid', path: 'lxc-dns/rootfs' },
  { name: 'a relative mount target', host: { mounts: [...mounts, { dataset: dataset('media/user'), target: 'srv/user' }] }, code: 'lxc-mp-invalid', path: 'lxc-dns/mounts[3]' },
  { name: 'a .. in a mount target', host: { mounts: [...mounts, { dataset: dataset('media/user'), target: '/srv/../etc' }] }, code: 'lxc-mp-invalid', path: 'lxc-dns/mounts[3]' },
  { name: 'a comma in a mount target', host: { mounts: [...mounts, { dataset: dataset('media/user'), target: '/srv/a,b' }] }, code: 'lxc-mp-invalid', path: 'lxc-dns/mounts[3]' },
  { name: 'a .. in a mount source', host: { mounts: [...mounts, { dataset: dataset('media/user'), sub: '../..', target: '/srv/user' }] }, code: 'lxc-mp-invalid', path: 'lxc-dns/mounts[3]' },
  { name: 'a mount over the root', host: { mounts: [...mounts, { dataset: dataset('media/user'), target: '/' }] }, code: 'lxc-mp-invalid', path: 'lxc-dns/mounts[3]' },
  { name: 'two mounts at one path', host: { mounts: [...mounts, { dataset: dataset('media/user'), target: '/srv/movies' }] }, code: 'lxc-mp-invalid', path: 'lxc-dns/mounts[3]' },
  { name: 'more than 256 mount points', host: { mounts: Array.from({ length: 257 }, (_, i) => ({ dataset: dataset('media/user'), sub: `d${i}`, target: `/srv/d${i}` })) }, code: 'lxc-mp-invalid', path: 'lxc-dns/mounts[256]' },
  { name: 'a device outside /dev', host: { devices: [{ path: '/tmp/tun' }] }, code: 'lxc-dev-invalid', path: 'lxc-dns/devices[0]' },
  { name: 'a device mode that is not octal', host: { devices: [{ path: '/dev/net/tun', mode: '660' }] }, code: 'lxc-dev-invalid', path: 'lxc-dns/devices[0]' },
  { name: 'a mount feature with a comma', host: { features: { mount: ['nfs,cifs'] } }, code: 'lxc-features-invalid', path: 'lxc-dns/features' },
  { name: 'keyctl on a privileged container', host: { unprivileged: false, features: { keyctl: true } }, code: 'lxc-features-invalid', path: 'lxc-dns/features' },
  { name: 'a fractional start-up order', host: { startup: { order: 1.5 } }, code: 'lxc-startup-invalid', path: 'lxc-dns/startup' },
  { name: 'a tag with a space', host: { tags: ['lxc', 'my tag'] }, code: 'lxc-tag-invalid', path: 'lxc-dns/tags[1]' },
  { name: 'a tag starting with a hyphen', host: { tags: ['-lxc'] }, code: 'lxc-tag-invalid', path: 'lxc-dns/tags[0]' },
  { name: 'a line break in a value', host: { nameservers: ['192.168.0.1\nlxc.apparmor.profile: unconfined'] }, code: 'lxc-option-invalid', path: 'lxc-dns/nameservers' },
  { name: 'a description over 8 KiB', host: { description: 'x'.repeat(9000) }, code: 'lxc-description-too-long', path: 'lxc-dns/description' },
  { name: 'lxc.rootfs.path', host: { raw: [{ key: 'lxc.rootfs.path', value: '/x', reason: 'test' }] }, code: 'lxc-raw-key-forbidden', path: 'lxc-dns/raw[0]' },
  { name: 'a cgroup v1 key', host: { raw: [{ key: 'lxc.cgroup.devices.allow', value: 'c 10:200 rwm', reason: 'test' }] }, code: 'lxc-raw-key-forbidden', path: 'lxc-dns/raw[0]' },
  { name: 'a network sysctl', host: { raw: [{ key: 'lxc.sysctl.net.ipv4.ip_forward', value: '1', reason: 'test' }] }, code: 'lxc-raw-key-forbidden', path: 'lxc-dns/raw[0]' },
  { name: 'a pre-3.0 key name', host: { raw: [{ key: 'lxc.id_map', value: 'u 0 100000 65536', reason: 'test' }] }, code: 'lxc-raw-key-forbidden', path: 'lxc-dns/raw[0]' },
  { name: 'an unknown lxc key', host: { raw: [{ key: 'lxc.bogus', value: '1', reason: 'test' }] }, code: 'lxc-raw-key-forbidden', path: 'lxc-dns/raw[0]' },
  { name: 'an empty raw value', host: { raw: [{ key: 'lxc.mount.entry', value: ' ', reason: 'test' }] }, code: 'lxc-raw-key-forbidden', path: 'lxc-dns/raw[0]' },
  { name: 'a passthrough uid beyond the container', host: { passthroughIds: { uids: [70000], gids: [1000] } }, code: 'lxc-idmap-invalid', path: 'lxc-dns/passthroughIds' },
  // mounts and datasets
  { name: 'a mount of a dataset outside the layout', host: { mounts: [...mounts, { dataset: dataset('media/music'), target: '/srv/music' }] }, code: 'dataset-unknown', path: 'lxc-dns/mounts[3]' },
  { name: 'a mount of a dataset outside the host\'s storage', host: { mounts: [...mounts, { dataset: dataset('services/apps'), target: '/srv/apps', readOnly: true }] }, code: 'dataset-not-on-host', path: 'lxc-dns/mounts[3]' },
  { name: 'a mount of a dataset whose folder of secrets nothing of the container uses', beside: vmBeside, host: { storage: [...lxc.storage, dataset('services/dev')], mounts: [...mounts, { dataset: dataset('services/dev'), target: '/srv/dev', readOnly: true }] }, code: 'lxc-mount-exposes-sensitive', path: 'lxc-dns/mounts[3]' },
  { name: 'a read-write mount of another domain\'s dataset', host: { storage: [...lxc.storage, dataset('services/apps')], mounts: [...mounts, { dataset: dataset('services/apps'), target: '/srv/apps', owner: { uid: 1000, gid: 1000 } }] }, code: 'dataset-not-owned', path: 'lxc-dns/mounts[3]' },
  { name: 'a writable mount with no owner: made root-owned on the node, unwritable from the container', host: { mounts: [...mounts, { dataset: dataset('media/movies'), sub: 'new', target: '/srv/new' }] }, code: 'lxc-mount-owner-missing', path: 'lxc-dns/mounts[3]' },
  // daemons
  { name: 'two daemons with one name', host: { daemons: [adguard, tailscale, samba, nfs, changedDaemon(nfs, { name: 'samba' })] }, code: 'daemon-duplicate', path: 'lxc-dns/samba/name' },
  { name: 'a bad secret name in a daemon', daemons: [changedDaemon(tailscale, { authKey: secret('Tailscale Key') })], code: 'secret-name-invalid', path: 'lxc-dns/tailscale/authKey' },
  { name: 'an AdGuard release older than the schema', daemons: [changedDaemon(adguard, { version: 'v0.107.60' })], code: 'adguard-version-unsupported', path: 'lxc-dns/adguard/version' },
  { name: 'an AdGuard version that is not vX.Y.Z', daemons: [changedDaemon(adguard, { version: 'latest' })], code: 'adguard-version-unsupported', path: 'lxc-dns/adguard/version' },
  { name: 'AdGuard without users', daemons: [changedDaemon(adguard, { users: [] })], code: 'adguard-no-users', path: 'lxc-dns/adguard/users' },
  { name: 'AdGuard data not on a mount', daemons: [changedDaemon(adguard, { installDir: '/opt/adguard' })], code: 'adguard-data-unmounted', path: 'lxc-dns/adguard/installDir' },
  { name: 'AdGuard UI on the DNS port', daemons: [changedDaemon(adguard, { httpPort: 53 })], code: 'adguard-port-invalid', path: 'lxc-dns/adguard/httpPort' },
  { name: 'an AdGuard bind host by name', daemons: [changedDaemon(adguard, { dns: { ...adguard.dns, bindHosts: ['lxc-dns'] } })], code: 'adguard-port-invalid', path: 'lxc-dns/adguard/dns.bindHosts[0]' },
  { name: 'a bootstrap resolver by name', daemons: [changedDaemon(adguard, { dns: { ...adguard.dns, bootstrap: ['dns.quad9.net'] } })], code: 'adguard-upstream-invalid', path: 'lxc-dns/adguard/dns.bootstrap[0]' },
  { name: 'no upstream', daemons: [changedDaemon(adguard, { dns: { ...adguard.dns, upstreams: [] } })], code: 'adguard-upstream-invalid', path: 'lxc-dns/adguard/dns.upstreams' },
  { name: 'a rewrite of a bad domain', daemons: [changedDaemon(adguard, { rewrites: [{ domain: 'bad_name.local', answer: '192.168.0.20' }] })], code: 'adguard-rewrite-invalid', path: 'lxc-dns/adguard/rewrites[0]' },
  { name: 'a rewrite to two answers', daemons: [changedDaemon(adguard, { rewrites: [{ domain: 'a.local', answer: '192.168.0.20' }, { domain: 'a.local', answer: '192.168.0.21' }] })], code: 'adguard-rewrite-conflict', path: 'lxc-dns/adguard/rewrites[1]' },
  { name: 'a rewrite against a host record', daemons: [changedDaemon(adguard, { hostRecords: true, rewrites: [{ domain: 'vm-media.local', answer: '192.168.0.99' }] })], code: 'adguard-rewrite-conflict', path: 'lxc-dns/adguard/rewrites[0]' },
  { name: 'tailscale without /dev/net/tun', host: { devices: [] }, code: 'tailscale-no-tun', path: 'lxc-dns/devices' },
  { name: 'a route with host bits', daemons: [changedDaemon(tailscale, { advertiseRoutes: ['192.168.0.1/24'] })], code: 'tailscale-route-invalid', path: 'lxc-dns/tailscale/advertiseRoutes[0]' },
  { name: 'no route and no exit node', daemons: [changedDaemon(tailscale, { advertiseRoutes: [] })], code: 'tailscale-route-invalid', path: 'lxc-dns/tailscale/advertiseRoutes' },
  { name: 'a tag without tag:', daemons: [changedDaemon(tailscale, { advertiseTags: ['router'] })], code: 'tailscale-tag-invalid', path: 'lxc-dns/tailscale/advertiseTags[0]' },
  { name: 'a tag whose name starts with a digit (tailcfg.CheckTag)', daemons: [changedDaemon(tailscale, { advertiseTags: ['tag:1router'] })], code: 'tailscale-tag-invalid', path: 'lxc-dns/tailscale/advertiseTags[0]' },
  { name: 'a tailnet grant of a machine the lab lacks', daemons: [adguard, changedDaemon(tailscale, { grants: [{ host: 'nas', service: 'samba', reason: 'x' }] })], code: 'tailnet-grant-unknown', path: 'lxc-dns/tailscale/grants[0]' },
  { name: 'a tailnet grant of management (SSH)', daemons: [adguard, changedDaemon(tailscale, { grants: [{ host: 'lxc-dns', service: 'ssh', reason: 'x' }] })], code: 'tailnet-grant-unknown', path: 'lxc-dns/tailscale/grants[0]' },
  { name: 'a tailnet grant of a service that opens nothing to the LAN', daemons: [adguard, changedDaemon(tailscale, { grants: [{ host: 'lxc-dns', service: 'node-exporter', reason: 'x' }] })], code: 'tailnet-grant-unknown', path: 'lxc-dns/tailscale/grants[0]' },
  { name: 'a tailnet grant outside the advertised routes', daemons: [adguard, changedDaemon(tailscale, { advertiseRoutes: ['10.0.0.0/24'], grants: [{ host: 'lxc-dns', service: 'adguard', reason: 'x' }] })], code: 'tailnet-grant-unrouted', path: 'lxc-dns/tailscale/grants[0]' },
  { name: 'a share of an unmounted dataset', daemons: [changedDaemon(samba, { shares: [...samba.shares, { name: 'photos', comment: 'x', dataset: dataset('media/user'), readOnly: true, users: ['family'], why: 'test' }] })], code: 'smb-share-unmounted', path: 'lxc-dns/samba/shares[2]' },
  { name: 'a share of a child dataset under its parent\'s mount', daemons: [changedDaemon(samba, { shares: [...samba.shares, { name: 'media', comment: 'x', dataset: dataset('media'), readOnly: true, users: ['family'], why: 'test' }] })], code: 'smb-share-unmounted', path: 'lxc-dns/samba/shares[2]' },
  { name: 'a writable share on a read-only mount', daemons: [changedDaemon(samba, { shares: [samba.shares[0]!, { ...samba.shares[1]!, readOnly: false }] })], code: 'smb-share-read-only-mount', path: 'lxc-dns/samba/shares[1]' },
  { name: 'a share named global', daemons: [changedDaemon(samba, { shares: [samba.shares[0]!, { ...samba.shares[1]!, name: 'global' }] })], code: 'smb-share-name-invalid', path: 'lxc-dns/samba/shares[1].name' },
  { name: 'two shares with one name', daemons: [changedDaemon(samba, { shares: [samba.shares[0]!, { ...samba.shares[1]!, name: 'Movies' }] })], code: 'smb-share-name-invalid', path: 'lxc-dns/samba/shares[1].name' },
  { name: 'a share for an unknown user', daemons: [changedDaemon(samba, { shares: [samba.shares[0]!, { ...samba.shares[1]!, users: ['bob'] }] })], code: 'smb-user-unknown', path: 'lxc-dns/samba/shares[1].users' },
  { name: 'a Samba user with the force user\'s uid', daemons: [changedDaemon(samba, { users: [{ name: 'family', uid: 1000, ntHash: secret('smb_family') }] })], code: 'smb-user-invalid', path: 'lxc-dns/samba/users[0]' },
  { name: 'a NetBIOS name over 15 characters', daemons: [changedDaemon(samba, { netbiosName: 'A-VERY-LONG-SERVER-NAME' })], code: 'smb-netbios-name-invalid', path: 'lxc-dns/samba/netbiosName' },
  { name: 'a hosts-allow entry by name', daemons: [changedDaemon(samba, { allowFrom: ['lan'] })], code: 'smb-allow-invalid', path: 'lxc-dns/samba/allowFrom[0]' },
  { name: 'an export of a dataset outside the layout', daemons: [changedDaemon(nfs, { exports: [{ dataset: dataset('media/music'), clients: [{ host: '192.168.0.22', access: 'ro', why: 'x' }] }] })], code: 'nfs-dataset-unknown', path: 'lxc-dns/nfs/exports[0].dataset' },
  { name: 'one dataset exported twice', daemons: [changedDaemon(nfs, { exports: [...nfs.exports, nfs.exports[0]!] })], code: 'nfs-export-duplicate', path: 'lxc-dns/nfs/exports[1]' },
  { name: 'an export to the internet', daemons: [changedDaemon(nfs, { exports: [{ dataset: dataset('media/movies'), clients: [{ host: '0.0.0.0/0', access: 'ro', why: 'x' }] }] })], code: 'nfs-client-invalid', path: 'lxc-dns/nfs/exports[0].clients[0]' },
  { name: 'an export to an address outside the lab', daemons: [changedDaemon(nfs, { exports: [{ dataset: dataset('media/movies'), clients: [{ host: '10.1.2.3', access: 'ro', why: 'x' }] }] })], code: 'nfs-client-invalid', path: 'lxc-dns/nfs/exports[0].clients[0]' },
  { name: 'an export to a host name', daemons: [changedDaemon(nfs, { exports: [{ dataset: dataset('media/movies'), clients: [{ host: 'vm-media', access: 'ro', why: 'x' }] }] })], code: 'nfs-client-invalid', path: 'lxc-dns/nfs/exports[0].clients[0]' },
  { name: 'an export to a VM that mounts the dataset through virtiofs', beside: vmBeside, daemons: [changedDaemon(nfs, { exports: [{ dataset: dataset('services/dev'), clients: [{ host: '192.168.0.24', access: 'rw', why: 'x' }] }] })], code: 'nfs-client-unused', path: 'lxc-dns/nfs/exports[0].clients[0]' },
  { name: 'a share of a dataset with a folder of secrets', beside: vmBeside, daemons: [changedDaemon(samba, { shares: [...samba.shares, { name: 'dev', comment: 'x', dataset: dataset('services/dev'), readOnly: true, users: ['family'], why: 'test' }] })], code: 'smb-share-exposes-secrets', path: 'lxc-dns/samba/shares[2]' },
  { name: 'an export with no client', daemons: [changedDaemon(nfs, { exports: [{ dataset: dataset('media/movies'), clients: [] }] })], code: 'nfs-client-invalid', path: 'lxc-dns/nfs/exports[0].clients' },
];

describe('every LXC rule fails on its example', () => {
  it.each(cases)('$name -> $code at $path', ({ host, daemons, code, path, beside }) => {
    const lab = lxcLab(host, ...(daemons ?? []));
    const found = errors(beside ? { ...lab, hosts: [...lab.hosts, beside] } : lab);
    expect(found.map((f) => [f.code, f.path])).toContainEqual([code, path]);
    expect(found.find((f) => f.code === code && f.path === path)!.message.length).toBeGreaterThan(20);
  });
});

const warningCases: Case[] = [
  { name: 'a privileged container', host: { unprivileged: false }, code: 'lxc-privileged', path: 'lxc-dns/unprivileged' },
  { name: 'the force user not passed through', host: { passthroughIds: undefined }, code: 'smb-force-user-unmapped', path: 'lxc-dns/samba/forceUser' },
  { name: 'a subnet router without a tag', daemons: [changedDaemon(tailscale, { advertiseTags: undefined })], code: 'tailscale-untagged', path: 'lxc-dns/tailscale/advertiseTags' },
  { name: 'read-write to the whole LAN', daemons: [changedDaemon(nfs, { exports: [{ dataset: dataset('media/movies'), clients: [{ host: '192.168.0.0/24', access: 'rw', why: 'x' }] }] })], code: 'nfs-rw-to-network', path: 'lxc-dns/nfs/exports[0].clients[0]' },
];

describe('every LXC warning fires on its example', () => {
  it.each(warningCases)('$name -> $code at $path', ({ host, daemons, code, path }) => {
    expect(warnings(lxcLab(host, ...(daemons ?? []))).map((f) => [f.code, f.path])).toContainEqual([code, path]);
  });
});

describe('what is allowed', () => {
  it('the raw keys Proxmox documents for TUN, and a cgroup2 key', () => {
    const raw = [
      { key: 'lxc.cgroup2.devices.allow', value: 'c 10:200 rwm', reason: 'tun' },
      { key: 'lxc.mount.entry', value: '/dev/net/tun dev/net/tun none bind,create=file', reason: 'tun' },
    ];
    expect(errors(lxcLab({ devices: [], raw }))).toEqual([]);
  });

  it('a share of a folder under a mounted dataset', () => {
    const photos = { name: 'trailers', comment: 'x', dataset: dataset('media/movies'), sub: 'trailers', readOnly: true, users: ['family'], why: 'test' };
    expect(errors(lxcLab({}, changedDaemon(samba, { shares: [...samba.shares, photos] })))).toEqual([]);
  });

  it('a mount of just the folder a share serves, beside a folder of secrets (the whole dataset is the finding)', () => {
    const share = { name: 'dev', comment: 'x', dataset: dataset('services/dev'), sub: 'notes', readOnly: true, users: ['family'], why: 'test' };
    const withMount = (mount: Record<string, unknown>) => {
      const lab = lxcLab({ storage: [...lxc.storage, dataset('services/dev')], mounts: [...mounts, { dataset: dataset('services/dev'), target: '/srv/dev', readOnly: true, ...mount }] }, changedDaemon(samba, { shares: [...samba.shares, share] }));
      return errors({ ...lab, hosts: [...lab.hosts, vmBeside] }).filter((f) => f.code === 'lxc-mount-exposes-sensitive').map((f) => f.path);
    };
    expect(withMount({ sub: 'notes', target: '/srv/dev/notes' })).toEqual([]);
    expect(withMount({})).toEqual(['lxc-dns/mounts[3]']);
  });
});

describe('the table covers the rules', () => {
  it('has an example for every code of the LXC and daemon rules', () => {
    const codes = [pveLxcRule, lxcMountsRule, daemonsRule, adguardRule, tailscaleRule, sambaRule, sambaSecretsRule, nfsRule].flatMap((r) => r.codes);
    const covered = new Set([...cases, ...warningCases].map((c) => c.code));
    expect(codes.filter((c) => !covered.has(c))).toEqual([]);
  });
});
