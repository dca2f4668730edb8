import { defineTailscale, secret } from '@homelab/kit';
import { network } from '@homelab/shared';

/** Tailscale as a subnet router: devices on the tailnet reach the whole LAN through this node. */
export default defineTailscale({
  name: 'tailscale',
  advertiseRoutes: [network.subnet],
  // The node keeps the LAN's resolvers; tailnet clients get AdGuard through the admin console's split DNS.
  acceptDns: false,
  // A one-off or reusable pre-auth key from the admin console; approve the route there (or with autoApprovers).
  authKey: secret('tailscale_auth_key'),
});
