import { defineService, secret } from '@homelab/kit';
import { zfs, images } from '@homelab/shared';

/** Nextcloud's database (PostgreSQL, which the image's installer sets up from POSTGRES_*). */
export default defineService({
  name: 'nextcloud-postgres',
  image: 'postgres:16.13-alpine',
  imageFacts: images.postgresAlpine,
  role: 'database',
  volumes: [{ dataset: zfs.dataset('services/apps'), sub: 'nextcloud/postgres', target: '/var/lib/postgresql/data' }],
  environment: {
    POSTGRES_DB: 'nextcloud',
    POSTGRES_PASSWORD_FILE: secret('nextcloud_db_password'),
    POSTGRES_USER: 'nextcloud',
  },
  listen: [5432],
  healthcheck: { test: ['CMD-SHELL', 'pg_isready -h 127.0.0.1 -d nextcloud -U nextcloud'], interval: '10s', timeout: '5s', retries: 12, startPeriod: '3m' },
});
