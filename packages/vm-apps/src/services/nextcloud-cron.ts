import { defineService } from '@homelab/kit';
import { zfs } from '@homelab/shared';
import nextcloud from './nextcloud.js';

/** Nextcloud's background jobs every 5 minutes, as the image's documentation runs them: its cron.sh in a second container. */
export default defineService({
  name: 'nextcloud-cron',
  image: nextcloud.image,
  imageFacts: nextcloud.imageFacts,
  role: 'app',
  dependsOn: [{ service: nextcloud, condition: 'service_healthy' }],
  volumes: [{ dataset: zfs.dataset('services/apps'), sub: 'nextcloud/html', target: '/var/www/html' }],
  entrypoint: '/cron.sh',
  // cron.sh execs `busybox crond -f ...`: the process is busybox (its name and argv[0]), so
  // `pgrep crond` never matches it; -f matches the whole command line, where "busybox crond" is.
  healthcheck: { test: ['CMD', 'busybox', 'pgrep', '-f', 'busybox crond'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '30s' },
});
