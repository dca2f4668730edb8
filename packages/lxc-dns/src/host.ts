import { defineLxc } from '@homelab/kit';
import { containers, network, zfs } from '@homelab/shared';

/** The DNS container of the seed: AdGuard Home answers the LAN on 192.168.0.11. */
export default defineLxc({
  name: 'lxc-dns',
  vmid: 111,
  address: network.addressOf('lxc-dns'),
  cores: 1,
  memoryMiB: 512,
  swapMiB: 256,
  diskGiB: 4,
  ...containers,
  // First up: every other guest resolves through it. 15 s for AdGuard to load its filters.
  startup: { order: 1, up: 15 },
  tags: ['dns', 'homelab', 'lxc'],
  description: 'AdGuard Home: the LAN resolver with ad blocking and the lab\'s local names.',
  // The container itself resolves through the router, so updates work while AdGuard is down.
  nameservers: [network.gateway],
  storage: [zfs.dataset('services/infra')],
  // AdGuard's work data (filters, query log, statistics) on tank, snapshotted with the infra services.
  // AdGuard runs as root in the container: host uid/gid 100000 own the folder.
  mounts: [{ dataset: zfs.dataset('services/infra'), sub: 'adguard', target: '/opt/AdGuardHome/data', owner: { uid: 0, gid: 0 } }],
});
