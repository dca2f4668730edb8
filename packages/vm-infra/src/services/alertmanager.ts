import { defineService, secret } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';

/**
 * Alerts of the whole lab: Prometheus evaluates the rules (prometheus/rules/homelab.yml) and sends
 * what fires here; Alertmanager groups it and posts it to one webhook (ntfy, Gotify, a chat
 * bridge), whose URL is this service's one secret. Its configuration is rendered with the lab
 * (alertmanager/alertmanager.yml).
 */
export default defineService({
  name: 'alertmanager',
  image: 'prom/alertmanager:v0.35.0',
  // Built on quay.io/prometheus/busybox with USER nobody; amtool ships beside the binary.
  imageFacts: { user: '65534:65534', ships: ['sh', 'wget', 'alertmanager', 'amtool'], source: 'https://github.com/prometheus/alertmanager/blob/main/Dockerfile' },
  role: 'alert-manager',
  volumes: [
    // Silences and the notification log, kept across restarts.
    { dataset: zfs.dataset('services/monitoring'), sub: 'alertmanager', target: '/alertmanager' },
    { rendered: 'alertmanager', target: '/etc/alertmanager', readOnly: true },
  ],
  // The webhook's URL (it carries the topic or token): Alertmanager reads it from the file (url_file).
  secrets: [secret('alertmanager_webhook_url')],
  command: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
  listen: [9093],
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9093/-/healthy'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
  // The dataset belongs to the lab's app user, as Prometheus's does.
  user: `${lab.appIds.uid}:${lab.appIds.gid}`,
  metrics: { port: 9093, path: '/metrics' },
});
