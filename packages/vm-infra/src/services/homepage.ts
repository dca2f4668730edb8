import { defineService } from '@homelab/kit';
import lab from '@homelab/shared';

/**
 * The lab's start page (Homepage): every route of the lab, grouped by the machine that serves
 * it, with a widget where `route.page.widget` names one. Its configuration is rendered from the
 * routes into this host's release (homepage/) and mounted read-only; HOMEPAGE_ALLOWED_HOSTS and
 * each widget key's HOMEPAGE_FILE_* variable are derived from the routes (model/start-page.ts).
 */
export default defineService({
  name: 'homepage',
  image: 'ghcr.io/gethomepage/homepage:v1.12.3',
  // node:alpine with USER root; docker-entrypoint.sh drops to PUID:PGID only when they are set.
  imageFacts: { user: '0:0', ships: ['sh', 'wget', 'node'], source: 'https://github.com/gethomepage/homepage/blob/main/Dockerfile' },
  role: 'start-page',
  volumes: [{ rendered: 'homepage', target: '/app/config', readOnly: true }],
  environment: {
    // The config folder is read-only: no log file in it (src/utils/logger.js).
    LOG_TARGETS: 'stdout',
  },
  listen: [3000],
  healthcheck: { test: ['CMD', 'wget', '-q', '--spider', 'http://127.0.0.1:3000/api/healthcheck'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '20s' },
  // The image's files are 1000:1000 (COPY --chown); the lab's app user, who reads the widget keys.
  user: `${lab.appIds.uid}:${lab.appIds.gid}`,
  route: { host: 'home', port: 3000, access: 'authenticated' },
});
