import { defineLxc } from '@homelab/kit';
import { containers, network } from '@homelab/shared';

/** The VPN container of the seed: Tailscale routes the tailnet into the LAN. */
export default defineLxc({
  name: 'lxc-vpn',
  vmid: 112,
  address: network.addressOf('lxc-vpn'),
  cores: 1,
  memoryMiB: 512,
  swapMiB: 256,
  diskGiB: 4,
  ...containers,
  // After DNS: the tailnet's clients reach the LAN's resolver through it.
  startup: { order: 2 },
  tags: ['homelab', 'lxc', 'vpn'],
  description: 'Tailscale subnet router: remote access to 192.168.0.0/24.',
  // Tailscale's kernel networking needs the TUN device; Proxmox VE 8.1+ passes it into an unprivileged container.
  devices: [{ path: '/dev/net/tun' }],
  // No data of its own: the node's identity lives in /var/lib/tailscale on the root disk (in vzdump backups).
  storage: [],
});
