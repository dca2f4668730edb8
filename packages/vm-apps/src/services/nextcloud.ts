import { defineService, secret } from '@homelab/kit';
import lab, { network, zfs } from '@homelab/shared';
import postgres from './nextcloud-postgres.js';
import redis from './nextcloud-redis.js';

/**
 * Nextcloud, the Apache image. Its first start installs it from the POSTGRES_* and
 * NEXTCLOUD_ADMIN_* settings (passwords from secret files, the image's _FILE variants); behind
 * Traefik on vm-infra, which it trusts for the client's address and protocol.
 */
export default defineService({
  name: 'nextcloud',
  image: 'nextcloud:34.0.2-apache',
  // No USER (Apache starts as root, serves as www-data). The entrypoint runs the installer as
  // www-data, and config/autoconfig.php and redis.config.php read POSTGRES_PASSWORD_FILE and the
  // admin password file in PHP as www-data (33:33): that user must be able to read them.
  imageFacts: { user: '0:0', secretsReadAs: '33:33', ships: ['sh', 'bash', 'curl', 'busybox', 'php', '/entrypoint.sh', '/cron.sh'], source: 'https://github.com/nextcloud/docker/blob/master/Dockerfile-debian.template' },
  role: 'app',
  dependsOn: [
    { service: postgres, condition: 'service_healthy' },
    { service: redis, condition: 'service_healthy' },
  ],
  volumes: [{ dataset: zfs.dataset('services/apps'), sub: 'nextcloud/html', target: '/var/www/html' }],
  environment: {
    NEXTCLOUD_ADMIN_PASSWORD_FILE: secret('nextcloud_admin_password'),
    NEXTCLOUD_ADMIN_USER: 'admin',
    // Every name the route answers to (docs/hosts.md: <host>.<domain> and <host>.<routeDomain>);
    // the installer writes each into trusted_domains, and Nextcloud refuses any name not there.
    NEXTCLOUD_TRUSTED_DOMAINS: [...new Set([lab.domain, lab.routeDomain])].map((d) => `nextcloud.${d}`).join(' '),
    OVERWRITECLIURL: `https://nextcloud.${lab.domain}`,
    OVERWRITEPROTOCOL: 'https',
    POSTGRES_DB: 'nextcloud',
    POSTGRES_HOST: 'nextcloud-postgres',
    POSTGRES_PASSWORD_FILE: secret('nextcloud_db_password'),
    POSTGRES_USER: 'nextcloud',
    REDIS_HOST: 'nextcloud-redis',
    TRUSTED_PROXIES: network.addressOf('vm-infra'),
    TZ: lab.timezone,
  },
  ports: [{ target: 80, published: 8080, reason: 'reached by Traefik on vm-infra as nextcloud.<domain>' }],
  listen: [80],
  // status.php answers without a login; curl comes with the php base image.
  healthcheck: { test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://localhost/status.php'], interval: '10s', timeout: '10s', retries: 12, startPeriod: '3m' },
  // Nextcloud's desktop and mobile clients use app passwords, not a browser login.
  route: { host: 'nextcloud', port: 80, access: { public: 'Nextcloud sync clients (desktop, mobile, WebDAV) cannot pass forward auth; Nextcloud has its own login' }, page: { description: 'Files, calendars and contacts', icon: 'nextcloud.png' } },
});
