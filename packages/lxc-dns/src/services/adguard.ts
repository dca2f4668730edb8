import { defineAdguard, secret } from '@homelab/kit';
import { network } from '@homelab/shared';

/** AdGuard Home: DNS for the LAN on port 53, its admin UI on port 80 (reached through Traefik). */
export default defineAdguard({
  name: 'adguard',
  version: 'v0.107.79',
  httpPort: 80,
  dns: {
    // Encrypted upstreams (DNS over HTTPS), two operators so that one outage is not the lab's.
    upstreams: ['https://dns.quad9.net/dns-query', 'https://cloudflare-dns.com/dns-query'],
    bootstrap: ['9.9.9.9', '1.1.1.1'],
    // The router hands out DHCP leases, so it knows the LAN's names for reverse lookups.
    privateReverse: [network.gateway],
  },
  filters: [{ name: 'AdGuard DNS filter', url: 'https://adguardteam.github.io/HostlistsRegistry/assets/filter_1.txt' }],
  // <host>.<domain> for every static address of the network plan (vm-media.local -> 192.168.0.22).
  hostRecords: true,
  // Route hostnames (jellyfin.local -> Traefik) are added from the services' own routes by the lab's wiring.
  rewrites: [],
  users: [
    { name: 'admin', passwordHash: secret('adguard_admin_password_hash') },
    // For adguard-exporter on vm-infra (AdGuard has no read-only accounts: its own password, kept apart from admin's).
    { name: 'exporter', passwordHash: secret('adguard_exporter_password_hash') },
  ],
});
