import { defineLxc } from '@homelab/kit';
import lab, { containers, network, zfs } from '@homelab/shared';

const media = (name: 'user' | 'library') => ({ dataset: zfs.dataset(`media/${name}`), target: `/srv/media/${name}` });
// Read-only: the shares of service data are for looking and copying out (see services/samba.ts).
// Only what a share serves: services/infra (TLS and Authentik keys) is not mounted at all, and of
// services/apps only the folders shared, not Vaultwarden's (lxc-mount-exposes-sensitive).
const service = (name: 'monitoring' | 'apps' | 'media' | 'downloads' | 'dev', sub?: string) => ({
  dataset: zfs.dataset(`services/${name}`),
  ...(sub ? { sub } : {}),
  target: `/srv/services/${name}${sub ? `/${sub}` : ''}`,
  readOnly: true,
});

/** The file-sharing container of the seed: Samba for the LAN's clients. */
export default defineLxc({
  name: 'lxc-smb',
  vmid: 113,
  address: network.addressOf('lxc-smb'),
  cores: 2,
  memoryMiB: 1024,
  swapMiB: 512,
  diskGiB: 8,
  ...containers,
  startup: { order: 3 },
  tags: ['homelab', 'lxc', 'smb'],
  description: 'Samba shares of the media and service datasets.',
  storage: [zfs.dataset('media'), zfs.dataset('services')],
  // One mount per dataset: Proxmox bind mounts do not descend into child datasets.
  mounts: [
    { ...media('user'), owner: { uid: lab.appIds.uid, gid: lab.appIds.gid } },
    { ...media('library'), owner: { uid: lab.appIds.uid, gid: lab.appIds.gid } },
    service('monitoring'),
    service('apps', 'nextcloud'),
    service('apps', 'immich'),
    service('media'),
    service('downloads'),
    service('dev'),
  ],
  // Samba writes as the lab's app uid/gid (1000): mapped 1:1, the files it writes belong to the
  // same owner as what the VMs' containers write (PUID/PGID 1000), not to 101000.
  passthroughIds: { uids: [lab.appIds.uid], gids: [lab.appIds.gid] },
});
