import { defineZfsLayout } from '@homelab/kit';

/** The pool `tank` and its dataset tree, exactly as the seed lays it out. */
export const zfs = defineZfsLayout({
  pool: 'tank',
  mountRoot: '/mnt/tank',
  datasets: {
    media: { purpose: 'high-capacity libraries for streaming, isolated from service data' },
    'media/user': { purpose: 'personal photos and videos' },
    'media/movies': { purpose: 'feature films, anime movies' },
    'media/shows': { purpose: 'episodic series, anime' },
    services: { purpose: 'container data, one dataset per function for backup and migration' },
    'services/infra': { purpose: 'reverse proxy, auth, orchestration' },
    'services/monitoring': { purpose: 'metrics and dashboards' },
    'services/apps': { purpose: 'productivity and personal cloud' },
    'services/media': { purpose: 'media automation stack' },
    'services/downloads': { purpose: 'torrent and usenet clients' },
    'services/dev': { purpose: 'development storage' },
    backups: { purpose: 'snapshots and external backups' },
  },
});

export type DatasetName = keyof typeof zfs.datasets;
