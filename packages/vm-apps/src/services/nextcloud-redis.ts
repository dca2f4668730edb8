import { defineService } from '@homelab/kit';
import { images } from '@homelab/shared';

/** Nextcloud's memory cache and file locking (the image configures both when REDIS_HOST is set). */
export default defineService({
  name: 'nextcloud-redis',
  image: 'redis:8.10.2-alpine',
  imageFacts: images.redisAlpine,
  role: 'cache',
  // A cache: nothing to keep across restarts.
  command: ['redis-server', '--save', '', '--appendonly', 'no'],
  listen: [6379],
  healthcheck: { test: ['CMD', 'redis-cli', 'ping'], interval: '10s', timeout: '5s', retries: 12, startPeriod: '10s' },
});
