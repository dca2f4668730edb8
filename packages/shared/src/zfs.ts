import { defineZfsLayout } from '@homelab/kit';

/** The pool `tank` and its dataset tree, exactly as the seed lays it out. */
export const zfs = defineZfsLayout({
  pool: 'tank',
  mountRoot: '/mnt/tank',
  datasets: {
    // Libraries are read by many hosts; only the roles that fill them may write.
    media: { purpose: 'high-capacity libraries for streaming, isolated from service data', writableBy: ['download'] },
    'media/user': { purpose: 'personal photos and videos', writableBy: ['app'] },
    'media/movies': { purpose: 'feature films, anime movies' },
    'media/shows': { purpose: 'episodic series, anime' },
    // Service data belongs to the host of its domain; any other host mounts it read-only.
    services: { purpose: 'container data, one dataset per function for backup and migration' },
    'services/infra': { purpose: 'reverse proxy, auth, orchestration', owners: ['vm-infra', 'lxc-dns', 'lxc-vpn'] },
    'services/monitoring': { purpose: 'metrics and dashboards', owners: ['vm-infra'] },
    'services/apps': { purpose: 'productivity and personal cloud', owners: ['vm-apps'] },
    'services/media': { purpose: 'media automation stack', owners: ['vm-media'] },
    'services/downloads': { purpose: 'torrent and usenet clients', owners: ['vm-media'] },
    'services/dev': { purpose: 'development storage', owners: ['vm-dev'] },
    backups: { purpose: 'snapshots and external backups' },
  },
});

export type DatasetName = keyof typeof zfs.datasets;
