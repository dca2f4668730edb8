import { defineService, secret } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';

/**
 * Alerts of the whole lab: Prometheus evaluates the rules (prometheus/rules/homelab.yml) and sends
 * what fires here; Alertmanager groups it and sends it to the receivers the lab's facts choose
 * (packages/shared, `alerts.receivers`), each reading its URL or token from a secret this service
 * declares. Its configuration is rendered with the lab (alertmanager/alertmanager.yml).
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
  // Each receiver's secret (here the webhook's URL, which carries its token): Alertmanager reads
  // it from /run/secrets/<name> (url_file, bot_token_file, ...; alert-receiver-secret-missing).
  secrets: [secret('alertmanager_webhook_url')],
  command: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
  listen: [9093],
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9093/-/healthy'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
  // The dataset belongs to the lab's app user, as Prometheus's does.
  user: `${lab.appIds.uid}:${lab.appIds.gid}`,
  metrics: { port: 9093, path: '/metrics' },
});
