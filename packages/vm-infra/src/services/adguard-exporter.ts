import { defineService, secret } from '@homelab/kit';
import { network } from '@homelab/shared';

/**
 * AdGuard Home's statistics for Prometheus (queries, blocked, upstream latency): the exporter reads
 * AdGuard's web API on lxc-dns (port 80, which the firewall opens to vm-infra) with the `exporter`
 * account. The image reads its credentials only from its environment (or a `.env` it loads), so
 * they come from a secret Compose reads as an env_file: `ADGUARD_USERNAMES=exporter` and
 * `ADGUARD_PASSWORDS=<password>`, the password whose bcrypt hash is `adguard_exporter_password_hash`.
 */
export default defineService({
  name: 'adguard-exporter',
  image: 'ghcr.io/henrywhitaker3/adguard-exporter:v1.2.1',
  // FROM scratch with USER 65532:65532: the binary alone, no shell, so no healthcheck command.
  imageFacts: { user: '65532:65532', ships: ['/adguard-exporter'], source: 'https://github.com/henrywhitaker3/adguard-exporter/blob/main/Dockerfile' },
  role: 'metrics-agent',
  envFile: secret('adguard_exporter_env'),
  environment: { ADGUARD_SERVERS: `http://${network.addressOf('lxc-dns')}:80`, INTERVAL: '30s' },
  listen: [9618],
  metrics: { port: 9618, path: '/metrics' },
});
