import { defineService, secret } from '@homelab/kit';
import { zfs } from '@homelab/shared';

/**
 * Immich's database: the PostgreSQL image Immich documents, with the VectorChord (and, for
 * upgrades, pgvecto.rs) vector extensions its smart search needs.
 */
export default defineService({
  name: 'immich-postgres',
  image: 'ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0',
  // Built on the Debian postgres image: root entrypoint reads POSTGRES_PASSWORD_FILE, then gosu postgres (999:999).
  imageFacts: { user: '0:0', ships: ['sh', 'bash', 'pg_isready', 'psql', 'postgres', 'docker-entrypoint.sh'], source: 'https://github.com/immich-app/base-images/blob/main/postgres/Dockerfile' },
  role: 'database',
  volumes: [{ dataset: zfs.dataset('services/apps'), sub: 'immich/postgres', target: '/var/lib/postgresql/data' }],
  environment: {
    POSTGRES_DB: 'immich',
    POSTGRES_INITDB_ARGS: '--data-checksums',
    POSTGRES_PASSWORD_FILE: secret('immich_db_password'),
    POSTGRES_USER: 'postgres',
  },
  listen: [5432],
  healthcheck: { test: ['CMD-SHELL', 'pg_isready -h 127.0.0.1 -d immich -U postgres'], interval: '10s', timeout: '5s', retries: 12, startPeriod: '3m' },
  // As Immich's compose file sizes it.
  shmSize: '128mb',
});
