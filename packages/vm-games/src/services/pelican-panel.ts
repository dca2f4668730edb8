import { defineService } from '@homelab/kit';
import lab, { network, zfs } from '@homelab/shared';

/**
 * The Pelican panel, as its Docker documentation deploys it (the image's own Caddy and PHP-FPM,
 * SQLite and file cache in /pelican-data), behind Traefik: BEHIND_PROXY turns Caddy's TLS off and
 * TRUSTED_PROXIES names vm-infra. The web installer writes APP_KEY and the rest to
 * /pelican-data/.env on first start.
 */
export default defineService({
  name: 'pelican-panel',
  image: 'ghcr.io/pelican/panel:v1.0.0-beta38',
  // php-fpm-alpine with USER www-data (82:82 on Alpine); /healthcheck.sh asks Caddy's /up on 80, then PHP-FPM on 9000.
  imageFacts: { user: '82:82', ships: ['sh', '/bin/ash', 'curl', 'php', '/healthcheck.sh', '/entrypoint.sh'], source: 'https://github.com/pelican-dev/panel/blob/main/Dockerfile' },
  role: 'app',
  volumes: [
    { dataset: zfs.dataset('services/games'), sub: 'panel/data', target: '/pelican-data' },
    { dataset: zfs.dataset('services/games'), sub: 'panel/logs', target: '/var/www/html/storage/logs' },
    // PHP's curl (Guzzle) reads the image's bundle at this path (Alpine's and Debian's
    // ca-certificates alike); the VM's has the lab's CA (its vendor data's ca_certs), Wings' certificate's issuer.
    { hostPath: '/etc/ssl/certs/ca-certificates.crt', target: '/etc/ssl/certs/ca-certificates.crt', readOnly: true, reason: "the VM's CA bundle, with the lab's CA: the panel calls Wings at https://wings.<domain>" },
  ],
  environment: {
    APP_DEBUG: false,
    APP_ENV: 'production',
    APP_TIMEZONE: lab.timezone,
    APP_URL: `https://panel.${lab.domain}`,
    BEHIND_PROXY: true,
    TRUSTED_PROXIES: network.addressOf('vm-infra'),
    XDG_DATA_HOME: '/pelican-data',
  },
  ports: [{ target: 80, published: 8000, reason: 'reached by Traefik on vm-infra as panel.<domain>' }],
  extraHosts: ['host.docker.internal:host-gateway'],
  // Caddy on 80, PHP-FPM on 9000.
  listen: [80, 9000],
  // The image's own check (/healthcheck.sh: Caddy's /up, then PHP-FPM).
  healthcheck: { test: ['CMD', '/bin/ash', '/healthcheck.sh'], interval: '30s', timeout: '10s', retries: 3, startPeriod: '2m' },
  route: { host: 'panel', port: 80, access: 'authenticated', page: { description: 'Game servers', icon: 'pelican-panel.png' } },
  // The panel calls the node's API at https://wings.<domain> (the node's FQDN, port 443, through Traefik).
  callsOverHttps: ['wings'],
});
