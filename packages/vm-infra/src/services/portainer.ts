import { defineService } from '@homelab/kit';
import { zfs } from '@homelab/shared';

/**
 * Container management for this host's Docker engine. The Alpine variant of the image, because
 * the default one has no shell or HTTP client to run a health check with.
 */
export default defineService({
  name: 'portainer',
  image: 'portainer/portainer-ce:2.39.5-alpine',
  role: 'management',
  volumes: [
    {
      hostPath: '/var/run/docker.sock',
      target: '/var/run/docker.sock',
      readOnly: true,
      // A read-only bind mount of a socket does not limit the API: Portainer manages containers by design.
      reason: 'Portainer manages this host\'s containers through the Docker API',
    },
    { dataset: zfs.dataset('services/infra'), sub: 'portainer', target: '/data' },
  ],
  command: ['-H', 'unix:///var/run/docker.sock'],
  // 9000 HTTP (what Traefik forwards to), 9443 HTTPS, 8000 the Edge agent tunnel.
  listen: [9000, 9443, 8000],
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9000/api/system/status'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '30s' },
  route: { host: 'portainer', port: 9000, access: 'authenticated' },
});
