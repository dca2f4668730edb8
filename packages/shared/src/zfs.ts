import { defineZfsLayout } from '@homelab/kit';

/** Every service dataset goes offsite: what a service keeps cannot be downloaded again. */
const serviceBackup = { offsite: true, why: 'configuration and databases that cannot be downloaded again' } as const;

/**
 * The pool `tank` and its dataset tree, as the seed lays it out (plus
 * services/games, and media/library in place of the seed's media/movies and media/shows and of
 * the downloads in services/downloads, see below). Properties are set on
 * the top datasets and inherited below; each says why. `backup` marks what goes offsite
 * (packages/pve/src/replication.ts sends exactly these; media/library stays home).
 */
export const zfs = defineZfsLayout({
  pool: 'tank',
  mountRoot: '/mnt/tank',
  datasets: {
    // Libraries are read by many hosts; only the roles that fill them may write.
    media: {
      purpose: 'high-capacity libraries for streaming, isolated from service data',
      writableBy: ['download'],
      properties: {
        recordsize: { value: '1M', why: 'large files read and written sequentially: fewer, bigger blocks mean less metadata and faster streaming' },
        compression: { value: 'lz4', why: 'video does not compress, and lz4 gives up on such blocks early, so it costs next to nothing' },
        atime: { value: 'off', why: 'every playback would otherwise write an access time' },
        xattr: { value: 'sa', why: 'Samba keeps DOS attributes and streams in extended attributes; sa stores them in the inode instead of a hidden directory' },
        acltype: { value: 'posix', why: 'Samba maps Windows ACLs onto POSIX ACLs, which ZFS on Linux only keeps with acltype=posix' },
      },
    },
    'media/user': {
      purpose: 'personal photos and videos',
      writableBy: ['app'],
      backup: { offsite: true, why: 'photos and videos exist nowhere else' },
      properties: {
        recordsize: { value: '128K', why: 'phone photos are a few MB and edited in place by Immich and Nextcloud; 1M records would rewrite too much' },
        normalization: { value: 'formD', why: 'files arrive from macOS/iOS (decomposed) and Windows/Android (composed) names; without it one name can become two files' },
        utf8only: { value: 'on', why: 'normalization needs UTF-8 names; set with it at creation' },
      },
    },
    // One filesystem for the downloads and the libraries they fill (docs/storage.md, "One
    // filesystem for downloads and libraries"): folders, not datasets, so that an import by
    // Sonarr or Radarr is a hardlink (or an atomic move), never a copy. The seed's
    // media/movies and media/shows, and the downloads the seed kept in services/downloads, are
    // folders in it.
    'media/library': {
      purpose: 'movies/ and shows/ (the libraries) beside torrents/ (the downloads that fill them): one filesystem, so imports are hardlinks',
      // Written by the *arrs and qBittorrent (as the app user) and by Samba's admin (forced to it):
      // made by deploy, not by whichever writer comes first as root.
      folders: {
        movies: 'Radarr imports into it; Samba shares it',
        shows: 'Sonarr imports into it; Samba shares it',
        torrents: 'qBittorrent downloads into it; Samba shows it read-only',
      },
    },
    // Service data belongs to the host of its domain; any other host mounts it read-only.
    services: {
      purpose: 'container data, one dataset per function for backup and migration',
      properties: {
        compression: { value: 'lz4', why: 'configuration, SQLite and database files compress well; lz4 costs less CPU than it saves in I/O' },
        atime: { value: 'off', why: 'databases and config reads would otherwise turn every read into a write' },
        xattr: { value: 'sa', why: 'containers set extended attributes (capabilities, overlay metadata); sa keeps them in the inode' },
        recordsize: { value: '128K', why: 'mixed configuration, SQLite and database files: the default, stated so a change is a decision' },
      },
    },
    'services/infra': { purpose: 'reverse proxy, auth, orchestration', owners: ['vm-infra', 'lxc-dns', 'lxc-vpn'], backup: serviceBackup },
    'services/monitoring': { purpose: 'metrics and dashboards', owners: ['vm-infra'], backup: serviceBackup },
    'services/apps': { purpose: 'productivity and personal cloud', owners: ['vm-apps'], backup: serviceBackup },
    'services/media': { purpose: 'media automation stack', owners: ['vm-media'], backup: serviceBackup },
    // The download clients' own state; what they download is in media/library (one filesystem with
    // the libraries, see above).
    'services/downloads': { purpose: 'download clients: qBittorrent\'s settings, torrent list and resume data', owners: ['vm-media'], backup: serviceBackup },
    'services/dev': { purpose: 'development storage', owners: ['vm-dev'], backup: serviceBackup },
    // Not in the seed's tree, which gives vm-games no dataset: the Pelican panel's data (its
    // database and keys) needs one to be snapshotted like every other service's.
    'services/games': { purpose: 'game hosting: the Pelican panel', owners: ['vm-games'], backup: serviceBackup },
    backups: {
      purpose: 'snapshots and external backups',
      properties: {
        readonly: { value: 'off', why: 'vzdump writes below it, and a child of a read-only dataset cannot be mounted (zfs cannot make its mountpoint); nothing is received here, replicas go offsite' },
        compression: { value: 'lz4', why: 'streams sent without -c are stored compressed here at little cost' },
        atime: { value: 'off', why: 'nothing reads backups in the normal course; reading one must not write' },
      },
    },
    'backups/vzdump': {
      purpose: 'Proxmox guest backups (vzdump archives of every VM and container)',
      properties: {
        recordsize: { value: '1M', why: 'archives are large files written and read front to back' },
        compression: { value: 'off', why: 'vzdump compresses its archives with zstd already' },
      },
    },
  },
});

export type DatasetName = keyof typeof zfs.datasets;
