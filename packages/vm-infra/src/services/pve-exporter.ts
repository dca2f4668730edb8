import { defineService, secret } from '@homelab/kit';
import { network } from '@homelab/shared';

/**
 * Proxmox VE's own view for Prometheus (guests' state, CPU, memory and disk as Proxmox counts them,
 * storage, cluster): prometheus-pve-exporter asks the node's API (port 8006, which the firewall
 * opens to vm-infra for it, because its scrape's target is the node's address) with an API token, as its README runs it in Docker. The token lives in its
 * pve.yml, which is this service's one secret (docs/hosts.md says how to make the token).
 */
export default defineService({
  name: 'pve-exporter',
  image: 'prompve/prometheus-pve-exporter:3.9.0',
  // Alpine with Python in a venv, USER prometheus (101:101, made in its Dockerfile); ENTRYPOINT pve_exporter.
  imageFacts: { user: '101:101', ships: ['sh', 'wget', 'pve_exporter'], source: 'https://github.com/prometheus-pve/prometheus-pve-exporter/blob/main/Dockerfile' },
  role: 'metrics-agent',
  secrets: [secret('pve_exporter_config')],
  command: ['--config.file=/run/secrets/pve_exporter_config'],
  listen: [9221],
  healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9221/'], interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s' },
  // /pve?target=<node>: the node Prometheus asks about is the lab's Proxmox host, from the network plan
  // (module, cluster and node are the exporter's defaults, written out to say what is collected).
  metrics: { port: 9221, path: '/pve', params: { target: [network.addressOf('pve')], module: ['default'], cluster: ['1'], node: ['1'] } },
});
