import { defineSamba, secret, type SambaShare } from '@homelab/kit';
import lab, { network, zfs } from '@homelab/shared';

const WATCH_ONLY = 'the *arr apps on vm-media own the library layout; clients watch, the admin fixes a misfiled file';
const LOOK_ONLY = 'containers on a VM write here while they run; a client writing into a live database corrupts it, so this is for looking and copying out (restores go through the VM)';

const serviceShare = (name: 'infra' | 'monitoring' | 'apps' | 'media' | 'downloads' | 'dev', sub?: string): SambaShare => ({
  name: `services-${sub?.replace(/\//g, '-') ?? name}`,
  comment: `Service data: ${sub ?? name} (read-only)`,
  dataset: zfs.dataset(`services/${name}`),
  ...(sub ? { sub } : {}),
  readOnly: true,
  users: ['admin'],
  why: LOOK_ONLY,
});

/** Samba: the media libraries for the household, the service data for the admin. */
export default defineSamba({
  name: 'samba',
  workgroup: 'WORKGROUP',
  netbiosName: 'LXC-SMB',
  forceUser: { name: 'homelab', uid: lab.appIds.uid, gid: lab.appIds.gid },
  allowFrom: [network.subnet],
  users: [
    { name: 'family', uid: 1101, ntHash: secret('smb_family_nt_hash') },
    { name: 'admin', uid: 1102, ntHash: secret('smb_admin_nt_hash') },
  ],
  shares: [
    {
      name: 'photos',
      comment: 'Personal photos and videos',
      dataset: zfs.dataset('media/user'),
      readOnly: false,
      users: ['family', 'admin'],
      why: 'where phones and computers add photos; Immich on vm-apps reads the same files',
    },
    // Folders of media/library, the one filesystem of downloads and libraries (docs/storage.md).
    { name: 'movies', comment: 'Films', dataset: zfs.dataset('media/library'), sub: 'movies', readOnly: true, users: ['family', 'admin'], writers: ['admin'], why: WATCH_ONLY },
    { name: 'shows', comment: 'Series', dataset: zfs.dataset('media/library'), sub: 'shows', readOnly: true, users: ['family', 'admin'], writers: ['admin'], why: WATCH_ONLY },
    // Not services/infra: the lab's TLS keys and Authentik's are there (smb-share-exposes-secrets);
    // its restores go through vm-infra.
    serviceShare('monitoring'),
    // Not services/apps as a whole: Vaultwarden's vault and keys live there (smb-share-exposes-secrets).
    serviceShare('apps', 'nextcloud'),
    serviceShare('apps', 'immich'),
    serviceShare('media'),
    serviceShare('downloads'),
    { name: 'downloads', comment: 'Downloads in flight (read-only)', dataset: zfs.dataset('media/library'), sub: 'torrents', readOnly: true, users: ['admin'], why: 'to look at and copy out of what qBittorrent is fetching; only it and the *arrs write there' },
    serviceShare('dev'),
  ],
});
