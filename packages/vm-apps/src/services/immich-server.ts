import { defineService, secret } from '@homelab/kit';
import lab, { network, zfs } from '@homelab/shared';
import machineLearning from './immich-machine-learning.js';
import postgres from './immich-postgres.js';
import valkey from './immich-valkey.js';

/**
 * Immich, the photo library. Its own uploads (phones) and generated thumbnails live on
 * tank/services/apps/immich; the personal photos on tank/media/user are mounted read-only as an
 * external library, so Immich indexes them without ever changing them.
 */
export default defineService({
  name: 'immich-server',
  image: 'ghcr.io/immich-app/immich-server:v3.2.4',
  // No USER; the server reads DB_PASSWORD_FILE itself, as root; immich-healthcheck asks /api/server/ping on IMMICH_PORT (2283).
  imageFacts: { user: '0:0', ships: ['sh', 'bash', 'node', 'immich-healthcheck'], source: 'https://github.com/immich-app/immich/blob/main/server/Dockerfile' },
  role: 'app',
  dependsOn: [
    { service: machineLearning, condition: 'service_started' },
    { service: postgres, condition: 'service_healthy' },
    { service: valkey, condition: 'service_healthy' },
  ],
  volumes: [
    { dataset: zfs.dataset('services/apps'), sub: 'immich/data', target: '/data' },
    { dataset: zfs.dataset('media/user'), target: '/mnt/media/user', readOnly: true },
  ],
  environment: {
    DB_DATABASE_NAME: 'immich',
    DB_HOSTNAME: 'immich-postgres',
    DB_PASSWORD_FILE: secret('immich_db_password'),
    DB_USERNAME: 'postgres',
    IMMICH_MACHINE_LEARNING_URL: 'http://immich-machine-learning:3003',
    // Only Traefik may say who the client is: left unset, Immich trusts X-Forwarded-For from every
    // private address (its default is 'linklocal,uniquelocal'), so any LAN machine could forge it.
    IMMICH_TRUSTED_PROXIES: network.addressOf('vm-infra'),
    REDIS_HOSTNAME: 'immich-valkey',
    TZ: lab.timezone,
  },
  ports: [{ target: 2283, reason: 'reached by Traefik on vm-infra as immich.<domain>' }],
  listen: [2283],
  // The image's own check (immich-healthcheck asks the server's ping endpoint).
  healthcheck: { test: ['CMD', 'immich-healthcheck'], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
  route: { host: 'immich', port: 2283, access: { public: 'the Immich mobile app cannot pass forward auth; Immich has its own login' }, page: { description: 'Photos and videos', icon: 'immich.png' } },
});
