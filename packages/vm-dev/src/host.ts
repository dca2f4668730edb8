import { defineVm } from '@homelab/kit';
import { network, vmDefaults, zfs } from '@homelab/shared';

/** The experimental VM of the seed: 2 cores, 4 GB, 64 GB. */
export default defineVm({
  ...vmDefaults,
  name: 'vm-dev',
  vmid: 124,
  address: network.addressOf('vm-dev'),
  cores: 2,
  memoryMiB: 4096,
  diskGiB: 64,
  description: 'Experiments: code-server and a container registry; a new service runs here before it moves to its real host.',
  // Last: nothing else depends on it.
  startup: { order: 40 },
  tags: ['dev'],
  storage: [zfs.dataset('services/dev')],
});
