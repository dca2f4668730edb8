import { authentikBlueprintsVolume, defineService, FIRST_ADMIN, secret } from '@homelab/kit';
import { zfs } from '@homelab/shared';
import postgres from './authentik-postgres.js';
import server from './authentik-server.js';

/**
 * Authentik's background worker: the same image and settings as the server. It gets no Docker
 * socket: the embedded outpost needs none, and managed outposts are not used. It applies the
 * blueprints, so it reads the first admin's password (akadmin, from the age store) that the lab's
 * blueprint sets with !File: no one can claim the initial-setup flow.
 */
export default defineService({
  name: 'authentik-worker',
  image: server.image,
  imageFacts: server.imageFacts,
  role: 'auth-worker',
  dependsOn: [{ service: postgres, condition: 'service_healthy' }],
  volumes: [
    { dataset: zfs.dataset('services/infra'), sub: 'authentik/data', target: '/data' },
    { dataset: zfs.dataset('services/infra'), sub: 'authentik/certs', target: '/certs', sensitive: 'the private keys of the certificates Authentik signs and serves with' },
    { dataset: zfs.dataset('services/infra'), sub: 'authentik/custom-templates', target: '/templates' },
    // The lab's blueprint (providers, applications, groups, the embedded outpost: the kit's
    // Authentik renderer, from every forward-auth route), where authentik reads custom blueprints.
    authentikBlueprintsVolume(),
  ],
  environment: server.environment,
  secrets: [secret(FIRST_ADMIN.secret)],
  command: 'worker',
  healthcheck: server.healthcheck,
  shmSize: '512mb',
});
