import { defineService } from '@homelab/kit';
import { zfs } from '@homelab/shared';
import nextcloud from './nextcloud.js';

/** Nextcloud's background jobs every 5 minutes, as the image's documentation runs them: its cron.sh in a second container. */
export default defineService({
  name: 'nextcloud-cron',
  image: nextcloud.image,
  role: 'app',
  dependsOn: [{ service: nextcloud, condition: 'service_healthy' }],
  volumes: [{ dataset: zfs.dataset('services/apps'), sub: 'nextcloud/html', target: '/var/www/html' }],
  entrypoint: '/cron.sh',
  // cron.sh runs busybox's crond (busybox-static is in the image for it).
  healthcheck: { test: ['CMD', 'busybox', 'pgrep', 'crond'], interval: '60s', timeout: '5s', retries: 3, startPeriod: '30s' },
});
