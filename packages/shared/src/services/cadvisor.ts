import { defineService } from '@homelab/kit';

const READS_DOCKER = 'cAdvisor reads the Docker engine state and cgroups of the VM read-only for per-container metrics';

/**
 * Per-container metrics of the VM it runs on, for Prometheus on vm-infra. Deployed as its README
 * runs it: privileged, with /dev/kmsg and the mounts it reads.
 */
export default defineService({
  name: 'cadvisor',
  image: 'ghcr.io/google/cadvisor:v0.60.5',
  // Alpine, no USER; deploy/healthcheck.sh (wget /healthz on the port of its --port, 8080) is its HEALTHCHECK.
  imageFacts: { user: '0:0', ships: ['sh', 'wget', 'cadvisor', '/usr/bin/healthcheck.sh'], source: 'https://github.com/google/cadvisor/blob/master/deploy/Dockerfile' },
  role: 'metrics-agent',
  // 8080 is Wings' API port on vm-games: every VM publishes cAdvisor on 8089 instead.
  ports: [{ target: 8080, published: 8089, reason: 'scraped by Prometheus on vm-infra over the LAN' }],
  listen: [8080],
  volumes: [
    { hostPath: '/', target: '/rootfs', readOnly: true, reason: READS_DOCKER },
    { hostPath: '/var/run', target: '/var/run', readOnly: true, reason: READS_DOCKER },
    { hostPath: '/sys', target: '/sys', readOnly: true, reason: READS_DOCKER },
    { hostPath: '/var/lib/docker', target: '/var/lib/docker', readOnly: true, reason: READS_DOCKER },
    { hostPath: '/dev/disk', target: '/dev/disk', readOnly: true, reason: READS_DOCKER },
  ],
  devices: ['/dev/kmsg:/dev/kmsg'],
  privileged: 'cAdvisor reads the kernel log (/dev/kmsg, OOM kills) and every cgroup and process of the VM; its README runs it privileged',
  // The image's own HEALTHCHECK script (deploy/healthcheck.sh: wget /healthz).
  healthcheck: { test: ['CMD', '/usr/bin/healthcheck.sh'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
  metrics: { port: 8080, path: '/metrics' },
});
