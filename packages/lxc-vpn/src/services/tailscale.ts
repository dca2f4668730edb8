import { defineTailscale, secret } from '@homelab/kit';
import { network } from '@homelab/shared';

/**
 * Tailscale as a subnet router: devices on the tailnet reach the LAN through this node, and of the
 * LAN only what `grants` names (the tailnet policy, dist/tailscale/tailnet-policy.hujson).
 */
export default defineTailscale({
  name: 'tailscale',
  advertiseRoutes: [network.subnet],
  // The router is tagged, not owned by a user: its routes are approved by the tag (autoApprovers)
  // and stay when the admin who joined it leaves. The auth key must be allowed to set the tag.
  advertiseTags: ['tag:lab-router'],
  // Away from home: the web apps through the reverse proxy (forward auth and each app's own login
  // still apply), and the lab's names. Not SMB, NFS, SFTP or the game servers; never management.
  grants: [
    { host: 'vm-infra', service: 'traefik', reason: "every route of the lab, through the reverse proxy and forward auth" },
    { host: 'lxc-dns', service: 'adguard', reason: "the lab's names (the admin console's split DNS sends the lab's domain here)" },
  ],
  // The node keeps the LAN's resolvers; tailnet clients get AdGuard through the admin console's split DNS.
  acceptDns: false,
  // A one-off or reusable pre-auth key from the admin console, tagged tag:lab-router.
  authKey: secret('tailscale_auth_key'),
});
