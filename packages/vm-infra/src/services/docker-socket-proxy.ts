import { defineService } from '@homelab/kit';

/**
 * Traefik's only way to the Docker API: a filter in front of the socket that answers read-only
 * requests about containers and events (POST stays 0), on an internal network with nothing but
 * Traefik on it, never published on the host.
 */
export default defineService({
  name: 'docker-socket-proxy',
  image: 'ghcr.io/tecnativa/docker-socket-proxy:0.4.1',
  role: 'management',
  volumes: [
    { hostPath: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true, reason: 'the proxy is what stands between Traefik and the Docker API' },
  ],
  environment: {
    // What Traefik's docker provider reads; everything else stays revoked (the image's defaults).
    CONTAINERS: 1,
    EVENTS: 1,
    PING: 1,
    POST: 0,
    VERSION: 1,
  },
  networks: ['socket-proxy'],
  listen: [2375],
  // HAProxy on Alpine: busybox's wget asks the Docker API's /_ping through the proxy itself.
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:2375/_ping'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
});
