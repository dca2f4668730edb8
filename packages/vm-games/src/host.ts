import { defineVm } from '@homelab/kit';
import { network, vmDefaults, zfs } from '@homelab/shared';

/**
 * The game-hosting VM of the seed: 8 cores, 24 GB, 128 GB. The large disk is for Wings: game
 * servers keep their files in /var/lib/pelican on the VM's own disk (Wings bind-mounts them into
 * the game containers at the same path); the panel's data is on tank/services/games.
 */
export default defineVm({
  ...vmDefaults,
  name: 'vm-games',
  vmid: 123,
  address: network.addressOf('vm-games'),
  cores: 8,
  memoryMiB: 24576,
  diskGiB: 128,
  description: 'Game hosting: the Pelican panel and its Wings daemon, which runs each game server as a container.',
  startup: { order: 30, up: 30 },
  tags: ['games'],
  storage: [zfs.dataset('services/games')],
});
