import { defineService, secret } from '@homelab/kit';
import { zfs, images } from '@homelab/shared';

/** Authentik's database (since 2025.10 also its cache, queue and websockets: it needs no Redis any more). */
export default defineService({
  name: 'authentik-postgres',
  image: 'postgres:16.13-alpine',
  imageFacts: images.postgresAlpine,
  role: 'database',
  volumes: [{ dataset: zfs.dataset('services/infra'), sub: 'authentik/postgres', target: '/var/lib/postgresql/data' }],
  environment: {
    POSTGRES_DB: 'authentik',
    POSTGRES_PASSWORD_FILE: secret('authentik_db_password'),
    POSTGRES_USER: 'authentik',
  },
  listen: [5432],
  // As authentik's compose.yml checks it.
  healthcheck: { test: ['CMD-SHELL', 'pg_isready -h 127.0.0.1 -d authentik -U authentik'], interval: '10s', timeout: '5s', retries: 12, startPeriod: '3m' },
});
