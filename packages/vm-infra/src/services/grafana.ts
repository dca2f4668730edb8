import { defineService, secret } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';
import prometheus from './prometheus.js';

/** Dashboards over Prometheus; its datasource and dashboard providers are provisioned from rendered files. */
export default defineService({
  name: 'grafana',
  image: 'grafana/grafana:13.2.3',
  // Alpine, USER 472 (GF_UID) with gid 0 (GF_GID); Grafana reads GF_*__FILE itself, as `user` here.
  imageFacts: { user: '472:0', ships: ['sh', 'bash', 'wget', 'curl', 'grafana', '/run.sh'], source: 'https://github.com/grafana/grafana/blob/main/packaging/docker/Dockerfile' },
  role: 'dashboards',
  dependsOn: [{ service: prometheus, condition: 'service_healthy' }],
  volumes: [
    { dataset: zfs.dataset('services/monitoring'), sub: 'grafana/data', target: '/var/lib/grafana' },
    // The datasource and dashboard providers, rendered with the lab (grafana/provisioning).
    { rendered: 'grafana/provisioning', target: '/etc/grafana/provisioning', readOnly: true },
  ],
  environment: {
    GF_ANALYTICS_CHECK_FOR_UPDATES: false,
    GF_ANALYTICS_REPORTING_ENABLED: false,
    GF_SECURITY_ADMIN_PASSWORD__FILE: secret('grafana_admin_password'),
    GF_SECURITY_ADMIN_USER: 'admin',
    GF_SERVER_ROOT_URL: `https://grafana.${lab.domain}`,
  },
  listen: [3000],
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:3000/api/health'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '30s' },
  user: `${lab.appIds.uid}:${lab.appIds.gid}`,
  route: { host: 'grafana', port: 3000, access: 'authenticated', page: { description: 'Dashboards', icon: 'grafana.png' } },
  metrics: { port: 3000, path: '/metrics' },
});
