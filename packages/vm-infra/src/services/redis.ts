import { defineService } from '@homelab/kit';
import { zfs, images } from '@homelab/shared';

/**
 * The seed's Redis on vm-infra: a cache for this host's services, on its compose network only.
 * Authentik, its first user in the seed, has not needed Redis since 2025.10 (tasks, cache and
 * websockets moved to PostgreSQL), so nothing depends on it yet and it is not published.
 */
export default defineService({
  name: 'redis',
  image: 'redis:8.10.2-alpine',
  imageFacts: images.redisAlpine,
  role: 'cache',
  volumes: [{ dataset: zfs.dataset('services/infra'), sub: 'redis', target: '/data' }],
  command: ['redis-server', '--appendonly', 'yes'],
  listen: [6379],
  healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
});
