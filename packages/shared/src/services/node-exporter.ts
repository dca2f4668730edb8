import { defineService } from '@homelab/kit';

/**
 * Host metrics of the VM it runs on (CPU, memory, disks, network), for Prometheus on vm-infra.
 * Deployed as its README says: the host's network and process namespaces, and the host's root
 * read-only at /host (rslave, so mounts made later, like the virtiofs datasets, show up too).
 */
export default defineService({
  name: 'node-exporter',
  image: 'quay.io/prometheus/node-exporter:v1.12.1',
  // Built on quay.io/prometheus/busybox with USER nobody.
  imageFacts: { user: '65534:65534', ships: ['sh', 'wget', 'node_exporter'], source: 'https://github.com/prometheus/node_exporter/blob/master/Dockerfile' },
  role: 'metrics-agent',
  networkMode: 'host',
  pid: 'host',
  // In the host's network namespace it answers on every address of the VM, the LAN one included.
  listen: [9100],
  command: ['--path.rootfs=/host', '--web.listen-address=:9100'],
  volumes: [{ hostPath: '/', target: '/host', readOnly: true, propagation: 'rslave', reason: 'node-exporter reads the whole host file system read-only for its disk and mount metrics' }],
  // The image has no HEALTHCHECK; busybox's wget is in it (it is built on busybox).
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9100/metrics'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
  metrics: { port: 9100, path: '/metrics' },
});
