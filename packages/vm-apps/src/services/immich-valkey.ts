import { defineService } from '@homelab/kit';

/** Immich's job queue (Valkey, as Immich's compose file runs it in place of Redis). */
export default defineService({
  name: 'immich-valkey',
  image: 'valkey/valkey:9.1.0-alpine',
  // Alpine: root entrypoint that drops to valkey with setpriv; valkey-cli ships with the server.
  imageFacts: { user: '0:0', ships: ['sh', 'valkey-cli', 'valkey-server', 'docker-entrypoint.sh'], source: 'https://github.com/valkey-io/valkey-container/blob/mainline/alpine/Dockerfile' },
  role: 'cache',
  listen: [6379],
  healthcheck: { test: ['CMD', 'valkey-cli', 'ping'], interval: '10s', timeout: '5s', retries: 12, startPeriod: '10s' },
});
