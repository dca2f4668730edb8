import { authentikBlueprintsVolume, defineService, secretFileUrl } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';
import postgres from './authentik-postgres.js';

/**
 * Authentik's server: the login pages, the API and the embedded outpost that Traefik's forward
 * auth asks (http://authentik-server:9000/outpost.goauthentik.io/auth/traefik). Settings as
 * authentik reads them, secrets as file:// URLs to their compose secrets.
 */
export default defineService({
  name: 'authentik-server',
  image: 'ghcr.io/goauthentik/server:2026.8.3',
  // USER 1000 (gid 1000), ENTRYPOINT dumb-init -- ak; authentik reads its file:// settings as that user.
  // `ak healthcheck` asks the server's /-/health/live/ on 9000 (the worker: its own liveness).
  imageFacts: { user: '1000:1000', ships: ['sh', 'bash', 'ak', 'dumb-init', 'python'], source: 'https://github.com/goauthentik/authentik/blob/main/Dockerfile' },
  role: 'auth',
  dependsOn: [{ service: postgres, condition: 'service_healthy' }],
  volumes: [
    { dataset: zfs.dataset('services/infra'), sub: 'authentik/data', target: '/data' },
    { dataset: zfs.dataset('services/infra'), sub: 'authentik/custom-templates', target: '/templates' },
    // The lab's blueprint (providers, applications, groups, the embedded outpost: the kit's
    // Authentik renderer, from every forward-auth route), where authentik reads custom blueprints.
    authentikBlueprintsVolume(),
  ],
  environment: {
    AUTHENTIK_DISABLE_UPDATE_CHECK: true,
    AUTHENTIK_ERROR_REPORTING__ENABLED: false,
    AUTHENTIK_POSTGRESQL__HOST: 'authentik-postgres',
    AUTHENTIK_POSTGRESQL__NAME: 'authentik',
    AUTHENTIK_POSTGRESQL__PASSWORD: secretFileUrl('authentik_db_password'),
    // The database is on this host's compose network only; no TLS between the two.
    AUTHENTIK_POSTGRESQL__SSLMODE: 'disable',
    AUTHENTIK_POSTGRESQL__USER: 'authentik',
    AUTHENTIK_SECRET_KEY: secretFileUrl('authentik_secret_key'),
    TZ: lab.timezone,
  },
  command: 'server',
  listen: [9000, 9443, 9300],
  // The image's own check (Dockerfile HEALTHCHECK).
  healthcheck: { test: ['CMD', 'ak', 'healthcheck'], interval: '30s', timeout: '30s', retries: 3, startPeriod: '60s' },
  shmSize: '512mb',
  route: { host: 'auth', port: 9000, access: { public: 'the identity provider itself: every forward auth sends the browser to its login' }, page: { description: 'Sign-in and accounts', icon: 'authentik.png' } },
  metrics: { port: 9300, path: '/metrics' },
});
