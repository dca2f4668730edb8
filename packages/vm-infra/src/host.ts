import { defineVm } from '@homelab/kit';
import { network, vmDefaults, zfs } from '@homelab/shared';

/** The infrastructure VM of the seed: 2 cores, 4 GB, 64 GB. */
export default defineVm({
  ...vmDefaults,
  name: 'vm-infra',
  vmid: 120,
  address: network.addressOf('vm-infra'),
  cores: 2,
  memoryMiB: 4096,
  diskGiB: 64,
  description: 'The entry point (Traefik) and identity (Authentik) of the lab, Portainer and Redis, and the monitoring stack (Prometheus, Grafana).',
  // First of the VMs: every other host's routes and logins go through it.
  startup: { order: 10, up: 60 },
  tags: ['infra'],
  storage: [zfs.dataset('services/infra'), zfs.dataset('services/monitoring')],
});
