import { describe, expect, it } from 'vitest';
import {
  adguardRewrites, defineHost, defineService, derivedHwaddr, encodeDescriptionLine, fillSecretPlaceholders, hostIdOf, idMapOf, isLxcHost,
  mountCovering, nfsExports, pctCreateCommand, pveLxcConf, pveLxcConfText, renderHost, rootfsVolume, secret,
  secretPlaceholder, secretPlaceholdersIn, smbNetwork, tailscaleUpArgs, type LxcHostDef,
} from '../src/internal.js';
import { realLab, vm } from './fixtures.js';
import { adguard, changedDaemon, dataset, lxcLab, nfs, tailscale } from './lxc-fixtures.js';

const host = (change: Record<string, unknown> = {}) => lxcLab(change).hosts[0] as LxcHostDef;

describe('the Proxmox container config', () => {
  it('encodes description lines as pve-common encode_text does', () => {
    expect(encodeDescriptionLine('Do not edit: 100% é')).toBe('Do not edit%3A 100%25 %C3%A9');
  });

  it('sorts keys as write_pct_config does (a string sort: mp10 before mp2), raw lxc keys last', () => {
    const mounts = Array.from({ length: 11 }, (_, i) => ({ dataset: dataset('media/user'), sub: `d${i}`, target: `/srv/d${i}` }));
    const text = pveLxcConfText(pveLxcConf(realLab, host({ mounts })));
    const keys = text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':')[0]!);
    const options = keys.filter((k) => !k.startsWith('lxc.'));
    expect(options).toEqual([...options].sort());
    expect(keys.indexOf('mp10')).toBeLessThan(keys.indexOf('mp2'));
    expect(keys.slice(-6)).toEqual(Array(6).fill('lxc.idmap'));
  });

  it('writes property strings with the default key first, then keys sorted', () => {
    const conf = pveLxcConf(realLab, host({ hwaddr: 'BC:24:11:00:00:01', rootfs: { storage: 'local-zfs', mountOptions: ['noatime'] } }));
    const get = (k: string) => conf.options.find((o) => o.key === k)!.value;
    expect(get('net0')).toBe('name=eth0,bridge=vmbr0,firewall=1,gw=192.168.0.1,hwaddr=BC:24:11:00:00:01,ip=192.168.0.11/24,type=veth');
    expect(get('rootfs')).toBe('local-zfs:subvol-111-disk-0,mountoptions=noatime,size=4G');
    expect(get('mp2')).toBe('/tank/media/shows,mp=/srv/shows,ro=1');
    expect(get('dev0')).toBe('/dev/net/tun');
    expect(get('startup')).toBe('order=5,up=10');
    expect(get('tags')).toBe('lxc;test');
  });

  it('names the root volume the way each storage type allocates it', () => {
    expect(rootfsVolume(host())).toBe('local-zfs:subvol-111-disk-0');
    expect(rootfsVolume(host({ rootfs: { storage: 'local-lvm', storageType: 'lvmthin' } }))).toBe('local-lvm:vm-111-disk-0');
    expect(rootfsVolume(host({ rootfs: { storage: 'local', storageType: 'dir' } }))).toBe('local:111/vm-111-disk-0.raw');
  });

  it('derives a stable unicast MAC from the host name', () => {
    expect(derivedHwaddr('lxc-dns')).toBe(derivedHwaddr('lxc-dns'));
    expect(derivedHwaddr('lxc-dns')).not.toBe(derivedHwaddr('lxc-vpn'));
    expect(derivedHwaddr('lxc-dns')).toMatch(/^BC:24:11(:[0-9A-F]{2}){3}$/);
  });

  it('puts ostemplate and the disk allocation on the pct create line, never in the conf', () => {
    expect(pctCreateCommand(host())).toEqual([
      'pct', 'create', '111', 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst', '--rootfs', 'local-zfs:4',
      '--unprivileged', '1', '--hostname', 'lxc-dns', '--ostype', 'debian', '--arch', 'amd64',
    ]);
    expect(pveLxcConf(realLab, host()).options.map((o) => o.key)).not.toContain('ostemplate');
  });
});

describe('ids on bind mounts', () => {
  it('cuts passthrough ids out of the 100000 offset map', () => {
    expect(idMapOf(host()).filter((r) => r.kind === 'u')).toEqual([
      { kind: 'u', container: 0, host: 100000, count: 1000 },
      { kind: 'u', container: 1000, host: 1000, count: 1 },
      { kind: 'u', container: 1001, host: 101001, count: 64535 },
    ]);
    expect(idMapOf(host({ passthroughIds: { uids: [0, 65535] } })).filter((r) => r.kind === 'u')).toEqual([
      { kind: 'u', container: 0, host: 0, count: 1 },
      { kind: 'u', container: 1, host: 100001, count: 65534 },
      { kind: 'u', container: 65535, host: 65535, count: 1 },
    ]);
  });

  it('maps a container id to the id stored on the host', () => {
    expect(hostIdOf(host(), 'u', 1000)).toBe(1000);
    expect(hostIdOf(host(), 'u', 0)).toBe(100000);
    expect(hostIdOf(host(), 'g', 33)).toBe(100033);
    expect(hostIdOf(host({ passthroughIds: undefined }), 'u', 1000)).toBe(101000);
    expect(hostIdOf(host({ unprivileged: false }), 'u', 1000)).toBe(1000);
  });

  it('writes no lxc.idmap when nothing passes through (Proxmox applies its own map)', () => {
    expect(pveLxcConf(realLab, host({ passthroughIds: undefined })).raw).toEqual([]);
  });

  it('finds the mount that shows a dataset folder, never across a child dataset', () => {
    const h = host();
    expect(mountCovering(h, 'media/movies', 'trailers')?.containerPath).toBe('/srv/movies/trailers');
    expect(mountCovering(h, 'media/movies')?.containerPath).toBe('/srv/movies');
    expect(mountCovering(h, 'services/infra', 'adguard')?.containerPath).toBe('/opt/AdGuardHome/data');
    expect(mountCovering(h, 'services/infra')).toBeUndefined();
    expect(mountCovering(h, 'media')).toBeUndefined();
  });
});

describe('secret placeholders', () => {
  it('are filled from the decrypted values, and a missing one throws', () => {
    const text = `password: "${secretPlaceholder(secret('a'))}"\nkey: ${secretPlaceholder(secret('b.c'))}\n`;
    expect(secretPlaceholdersIn(text)).toEqual(['a', 'b.c']);
    expect(fillSecretPlaceholders(text, { a: '$2y$10$abc\n', 'b.c': 'xyz' })).toBe('password: "$2y$10$abc"\nkey: xyz\n');
    expect(() => fillSecretPlaceholders(text, { a: 'x' })).toThrow(/b\.c/);
  });

  it('match install.secrets in every rendered file of the lab, and only files of mode 0600 hold them', () => {
    for (const h of realLab.hosts) {
      for (const a of renderHost(realLab, h).artifacts) {
        expect(secretPlaceholdersIn(a.content), `${h.name}/${a.path}`).toEqual([...(a.install?.secrets ?? [])]);
        if (a.install?.secrets?.length) expect(a.install.mode, `${h.name}/${a.path}`).toBe('0600');
      }
    }
  });
});

describe('daemon files', () => {
  it('tailscale up restates every setting (--reset) and reads the key from a file', () => {
    const args = tailscaleUpArgs(host(), changedDaemon(tailscale, { advertiseExitNode: true, advertiseTags: ['tag:lab'] }) as typeof tailscale);
    expect(args).toEqual([
      'up', '--reset', '--auth-key=file:/etc/credstore/tailscale-auth-key', '--hostname=lxc-dns', '--advertise-routes=192.168.0.0/24',
      '--advertise-exit-node', '--advertise-tags=tag:lab', '--accept-dns=false', '--snat-subnet-routes=true', '--timeout=60s',
    ]);
  });

  it('AdGuard answers host records from the network plan and the declared rewrites, sorted', () => {
    const rewrites = adguardRewrites(realLab, changedDaemon(adguard, { hostRecords: true }) as typeof adguard);
    expect(rewrites.map((r) => r.domain)).toEqual([...rewrites.map((r) => r.domain)].sort());
    expect(rewrites).toContainEqual({ domain: 'vm-media.local', answer: '192.168.0.22', from: 'hostRecords' });
    // The real lab's Traefik (vm-infra) already answers jellyfin.local from Jellyfin's route; the
    // declared rewrite with the same answer is then the same record, listed once.
    expect(rewrites).toContainEqual(expect.objectContaining({ domain: 'jellyfin.local', answer: '192.168.0.20' }));
    expect(rewrites.filter((r) => r.domain === 'jellyfin.local')).toHaveLength(1);
  });

  it('AdGuard answers every route hostname with the reverse proxy\'s address (the lab\'s wiring)', () => {
    const proxy = defineService({ name: 'proxy', image: 'traefik:v3.7.9', role: 'reverse-proxy' });
    const app = defineService({ name: 'app', image: 'nginx:1.27.3', listen: [80], route: { host: 'app', port: 80, access: 'authenticated' } });
    const base = lxcLab();
    const lab = { ...base, hosts: [...base.hosts, defineHost(vm, { services: [proxy, app] })] };
    expect(adguardRewrites(lab, adguard)).toContainEqual({ domain: 'app.local', answer: vm.address, from: 'routes' });
  });

  it('hosts allow takes networks in the address/mask form smb.conf documents', () => {
    expect(smbNetwork('192.168.0.0/24')).toBe('192.168.0.0/255.255.255.0');
    expect(smbNetwork('10.0.0.0/8')).toBe('10.0.0.0/255.0.0.0');
  });

  it('exports list host clients before networks (the more specific match)', () => {
    const text = nfsExports(realLab, host(), nfs as never);
    expect(text.trim().split('\n').at(-1)).toBe(
      '/tank/media/movies 192.168.0.22(rw,sync,no_subtree_check,root_squash,sec=sys) 192.168.0.0/24(ro,sync,no_subtree_check,root_squash,sec=sys)',
    );
  });

  it('recognises an LXC host only with its container options', () => {
    expect(isLxcHost(host())).toBe(true);
    expect(realLab.hosts.filter(isLxcHost).map((h) => h.name)).toEqual(['lxc-dns', 'lxc-smb', 'lxc-vpn']);
  });
});
