import { defineNfsExports } from '@homelab/kit';
import { network, zfs } from '@homelab/shared';

const PLAYERS = 'media players on the LAN (Kodi, TVs) stream over NFS; they only read';

/**
 * NFS exports of the media libraries to the LAN's players, served by the Proxmox host's kernel NFS
 * server (an unprivileged container cannot run nfsd). The VMs are not clients: they mount their
 * datasets through virtiofs (their storage), so an export to them would be a door nothing uses
 * (nfs-client-unused). Personal photos (media/user) are not exported: Samba serves them to people,
 * with a login. The service datasets are not exported: their apps keep SQLite and PostgreSQL
 * files, which NFS locking corrupts.
 */
export default defineNfsExports({
  name: 'nfs',
  server: 'proxmox-host',
  exports: [
    // One export of the one filesystem (docs/storage.md): the players see movies/, shows/ and,
    // read-only, torrents/.
    { dataset: zfs.dataset('media/library'), clients: [{ host: network.subnet, access: 'ro', why: PLAYERS }] },
  ],
});
