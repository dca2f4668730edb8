import { defineService } from '@homelab/kit';
import lab from '@homelab/shared';

/** Immich's face recognition and smart search, on the CPU (the VM has no GPU). */
export default defineService({
  name: 'immich-machine-learning',
  image: 'ghcr.io/immich-app/immich-machine-learning:v3.2.4',
  // No USER; HEALTHCHECK python3 healthcheck.py (asks /ping on IMMICH_PORT, 3003).
  imageFacts: { user: '0:0', ships: ['sh', 'bash', 'python3', 'python'], source: 'https://github.com/immich-app/immich/blob/main/machine-learning/Dockerfile' },
  role: 'app',
  // Downloaded models: a cache that can be fetched again, so a named volume on the VM's disk.
  volumes: [{ volume: 'immich-model-cache', target: '/cache' }],
  environment: { TZ: lab.timezone },
  listen: [3003],
  // The image's own check (HEALTHCHECK CMD python3 healthcheck.py).
  healthcheck: { test: ['CMD', 'python3', 'healthcheck.py'], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
});
