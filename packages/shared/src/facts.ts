import { defineLabFacts, secret } from '@homelab/kit';
import { network } from './network.js';
import { zfs } from './zfs.js';

/** Every fact a host needs, in one place. */
export default defineLabFacts({
  name: 'homelab',
  // The seed names routes under .local (e.g. jellyfin.local); see docs/findings.md on why that warns.
  domain: 'local',
  // Every route is also <host>.home.arpa (RFC 8375), which clients that send .local to mDNS still ask DNS for.
  routeDomain: 'home.arpa',
  // The lab's own CA signs the proxy's certificate (`homelab secret ca-init`, `tls-issue`; docs/hosts.md).
  tls: { mode: 'internal-ca' },
  // Where alerts reach the owner (docs/hosts.md, Monitoring): each receiver's URL or token is a
  // secret the Alertmanager service declares (packages/vm-infra/src/services/alertmanager.ts).
  alerts: {
    receivers: [{ name: 'webhook', kind: 'webhook', url: secret('alertmanager_webhook_url') }],
  },
  timezone: 'Etc/UTC',
  // The uid/gid that application containers run as and that owns their datasets.
  appIds: { uid: 1000, gid: 1000 },
  network,
  zfs,
  proxmox: {
    defaultNode: 'pve',
    // The seed does not state the physical host; this is the capacity the lab is planned against.
    nodes: { pve: { cores: 16, memoryMiB: 65536 } },
    // vCPUs may outnumber cores 4 to 1 (guests are mostly idle); RAM is not overcommitted,
    // since ZFS's ARC and the guests compete for it.
    overcommit: { cores: 4, memory: 1 },
  },
  // AdGuard Home's admin UI is a daemon of lxc-dns, not a compose service, so its route is written
  // here; the firewall lets only the reverse proxy reach port 80 of lxc-dns (docs/hosts.md).
  externalRoutes: [
    {
      host: 'adguard',
      address: network.addressOf('lxc-dns'),
      port: 80,
      access: 'authenticated',
      // DNS for the whole LAN: its admin may send any name anywhere.
      group: 'admins',
      description: 'AdGuard Home admin UI on lxc-dns, behind forward auth like every other UI',
    },
  ],
});
