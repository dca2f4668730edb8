import { defineService } from '@homelab/kit';
import { zfs } from '@homelab/shared';
import socketProxy from './portainer-socket-proxy.js';

/**
 * Container management for this host's Docker engine, through its own socket proxy: a web UI the
 * network reaches never holds the socket itself. The Alpine variant of the image, because the
 * default one has no shell or HTTP client to run a health check with.
 */
export default defineService({
  name: 'portainer',
  image: 'portainer/portainer-ce:2.39.5-alpine',
  // The Alpine variant (busybox wget for the healthcheck), no USER.
  imageFacts: { user: '0:0', ships: ['sh', 'wget', '/portainer'], source: 'https://github.com/portainer/portainer/blob/develop/build/linux/alpine.Dockerfile' },
  role: 'management',
  dependsOn: [{ service: socketProxy, condition: 'service_healthy' }],
  volumes: [{ dataset: zfs.dataset('services/infra'), sub: 'portainer', target: '/data' }],
  networks: ['default', 'portainer-socket'],
  command: ['-H', 'tcp://portainer-socket-proxy:2375'],
  // 9000 HTTP (what Traefik forwards to), 9443 HTTPS, 8000 the Edge agent tunnel.
  listen: [9000, 9443, 8000],
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9000/api/system/status'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '30s' },
  route: { host: 'portainer', port: 9000, access: 'authenticated', group: 'admins', page: { description: 'Containers of vm-infra (admins)', icon: 'portainer.png' } },
});
