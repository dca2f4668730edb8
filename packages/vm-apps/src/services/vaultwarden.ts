import { defineService, secret } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';

/** The password manager (a Bitwarden-compatible server); every setting also reads <NAME>_FILE. */
export default defineService({
  name: 'vaultwarden',
  image: 'vaultwarden/server:1.37.2',
  // No USER; Vaultwarden reads each *_FILE itself at start (as `user` here). /healthcheck.sh curls /alive on ROCKET_PORT (80 by default).
  imageFacts: { user: '0:0', ships: ['sh', 'bash', 'curl', '/healthcheck.sh', '/start.sh'], source: 'https://github.com/dani-garcia/vaultwarden/blob/main/docker/Dockerfile.debian' },
  role: 'app',
  volumes: [{ dataset: zfs.dataset('services/apps'), sub: 'vaultwarden', target: '/data', sensitive: 'the vault database and the key that signs login tokens (rsa_key.pem)' }],
  environment: {
    ADMIN_TOKEN_FILE: secret('vaultwarden_admin_token'),
    DOMAIN: `https://vaultwarden.${lab.domain}`,
    // Not root, so not port 80 (the image's /healthcheck.sh reads the same variable).
    ROCKET_PORT: 8080,
    // Accounts are invited from the admin page, never opened to whoever finds the URL.
    SIGNUPS_ALLOWED: false,
    TZ: lab.timezone,
  },
  ports: [{ target: 8080, published: 8081, reason: 'reached by Traefik on vm-infra as vaultwarden.<domain>' }],
  listen: [8080],
  // The image's own check: /healthcheck.sh asks /alive.
  healthcheck: { test: ['CMD', '/healthcheck.sh'], interval: '60s', timeout: '10s', retries: 3, startPeriod: '30s' },
  user: `${lab.appIds.uid}:${lab.appIds.gid}`,
  route: { host: 'vaultwarden', port: 8080, access: { public: 'Bitwarden clients (browser extensions, mobile apps) cannot pass forward auth; the vault is end-to-end encrypted behind its own login' }, page: { description: 'Passwords (Bitwarden clients)', icon: 'vaultwarden.png' } },
});
