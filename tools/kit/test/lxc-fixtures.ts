import {
  defineAdguard, defineHost, defineLxc, defineNfsExports, defineSamba, defineTailscale, secret,
  type DaemonDef, type DatasetRef, type HostDef, type Lab,
} from '../src/internal.js';
import { realLab } from './fixtures.js';

// The seed's libraries as datasets of their own (the real layout has them as folders of
// media/library): two datasets the examples mount, share and export separately.
const facts = {
  ...realLab.facts,
  zfs: { ...realLab.facts.zfs, datasets: { ...realLab.facts.zfs.datasets, 'media/movies': { purpose: 'films' }, 'media/shows': { purpose: 'series' } } },
};
const dataset = (name: string): DatasetRef => ({ kind: 'dataset', pool: facts.zfs.pool, name });

/** One container (at lxc-dns's place in the network plan, an owner of services/infra) with every daemon kind: each failing example changes one thing of it. */
export const lxc = defineLxc({
  name: 'lxc-dns',
  vmid: 111,
  address: '192.168.0.11',
  cores: 1,
  memoryMiB: 512,
  swapMiB: 256,
  diskGiB: 4,
  ostemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst',
  ostype: 'debian',
  rootfs: { storage: 'local-zfs' },
  features: { nesting: true },
  startup: { order: 5, up: 10 },
  tags: ['lxc', 'test'],
  storage: [dataset('media'), dataset('services/infra')],
  mounts: [
    { dataset: dataset('services/infra'), sub: 'adguard', target: '/opt/AdGuardHome/data', owner: { uid: 0, gid: 0 } },
    { dataset: dataset('media/movies'), target: '/srv/movies', owner: { uid: 1000, gid: 1000 } },
    { dataset: dataset('media/shows'), target: '/srv/shows', readOnly: true },
  ],
  devices: [{ path: '/dev/net/tun' }],
  passthroughIds: { uids: [1000], gids: [1000] },
});

export const adguard = defineAdguard({
  name: 'adguard',
  version: 'v0.107.79',
  httpPort: 80,
  dns: { upstreams: ['https://dns.quad9.net/dns-query'], bootstrap: ['9.9.9.9'] },
  filters: [{ name: 'AdGuard DNS filter', url: 'https://adguardteam.github.io/HostlistsRegistry/assets/filter_1.txt' }],
  rewrites: [{ domain: 'jellyfin.local', answer: '192.168.0.20' }],
  users: [{ name: 'admin', passwordHash: secret('adguard_hash') }],
});

export const tailscale = defineTailscale({
  name: 'tailscale',
  advertiseRoutes: ['192.168.0.0/24'],
  advertiseTags: ['tag:lab-router'],
  acceptDns: false,
  authKey: secret('tailscale_key'),
});

export const samba = defineSamba({
  name: 'samba',
  workgroup: 'WORKGROUP',
  netbiosName: 'LXC-DNS',
  forceUser: { name: 'homelab', uid: 1000, gid: 1000 },
  allowFrom: ['192.168.0.0/24'],
  users: [{ name: 'family', uid: 1101, ntHash: secret('smb_family') }],
  shares: [
    { name: 'movies', comment: 'Films', dataset: dataset('media/movies'), readOnly: false, users: ['family'], why: 'test' },
    { name: 'shows', comment: 'Series', dataset: dataset('media/shows'), readOnly: true, users: ['family'], why: 'test' },
  ],
});

export const nfs = defineNfsExports({
  name: 'nfs',
  server: 'proxmox-host',
  exports: [{ dataset: dataset('media/movies'), clients: [{ host: '192.168.0.22', access: 'rw', why: 'test' }, { host: '192.168.0.0/24', access: 'ro', why: 'test' }] }],
});

export const daemons: DaemonDef[] = [adguard, tailscale, samba, nfs];

/** The base container, changed in its own fields (`host`) and its daemons (replaced by name). */
export function lxcLab(host: Record<string, unknown> = {}, ...changedDaemons: DaemonDef[]): Lab {
  const list = daemons.map((d) => changedDaemons.find((c) => c.name === d.name) ?? d);
  const def = { ...defineHost(lxc, { services: [], daemons: list }), ...host } as HostDef;
  return { facts, hosts: [def] };
}

/** A daemon changed in some fields. */
export function changedDaemon<D extends DaemonDef>(base: D, change: Record<string, unknown>): DaemonDef {
  return { ...base, ...change } as DaemonDef;
}

export { dataset };
