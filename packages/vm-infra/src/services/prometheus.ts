import { defineService } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';

/**
 * Metrics of the whole lab: node-exporter and cAdvisor of every VM and each service's own
 * endpoint. Its data is on tank/services/monitoring; its configuration is rendered from the
 * services' `metrics` declarations into this host's release (prometheus/prometheus.yml).
 */
export default defineService({
  name: 'prometheus',
  image: 'prom/prometheus:v3.14.0',
  // Built on quay.io/prometheus/busybox with USER nobody.
  imageFacts: { user: '65534:65534', ships: ['sh', 'wget', 'prometheus', 'promtool'], source: 'https://github.com/prometheus/prometheus/blob/main/Dockerfile' },
  role: 'metrics-store',
  volumes: [
    { dataset: zfs.dataset('services/monitoring'), sub: 'prometheus', target: '/prometheus' },
    // prometheus.yml, rendered from every service's metrics declaration (the kit's monitoring renderer).
    { rendered: 'prometheus', target: '/etc/prometheus', readOnly: true },
  ],
  // --web.external-url: the URL users open, which Prometheus puts in the generatorURL of every
  // alert it sends (the "source" link of a notification); without it, the container's own address.
  command: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=90d', '--web.enable-lifecycle', `--web.external-url=https://prometheus.${lab.domain}`],
  listen: [9090],
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9090/-/healthy'], interval: '10s', timeout: '5s', retries: 12, startPeriod: '30s' },
  // The dataset belongs to the lab's app user; the image would run as nobody.
  user: `${lab.appIds.uid}:${lab.appIds.gid}`,
  route: { host: 'prometheus', port: 9090, access: 'authenticated', group: 'admins', page: { description: 'Metrics and alert rules (admins)', icon: 'prometheus.png', widget: { type: 'prometheus' } } },
  metrics: { port: 9090, path: '/metrics' },
});
