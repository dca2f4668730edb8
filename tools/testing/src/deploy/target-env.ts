import type { TestDockerd } from './dockerd.js';
import type { TestSshd } from './sshd.js';

/**
 * The variables that point a host at the test's sshd and Docker engine: 127.0.0.1, the test's
 * port, its pinned host key, docker-compose v1 talking to the test's socket.
 */
export function fixtureTargetEnv(host: string, sshd: TestSshd, releaseRoot: string, dockerd?: TestDockerd): Record<string, string> {
  const p = `HOMELAB_DEPLOY_${host.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`;
  return {
    [`${p}ADDRESS`]: '127.0.0.1',
    [`${p}PORT`]: String(sshd.port),
    [`${p}USER`]: 'root',
    [`${p}HOSTKEY`]: sshd.hostKey,
    [`${p}ROOT`]: releaseRoot,
    // How long deploy waits for the stack to be healthy: generous (HOMELAB_TEST_DEPLOY_HEALTH_SECONDS), never a measure of speed.
    [`${p}HEALTH_TIMEOUT`]: process.env.HOMELAB_TEST_DEPLOY_HEALTH_SECONDS ?? '180',
    ...(dockerd ? { [`${p}COMPOSE`]: `env DOCKER_HOST=${dockerd.host} docker-compose` } : {}),
    HOMELAB_DEPLOY_KEY: sshd.clientKey,
    // Never the lab's real addresses: deploy refuses any other address before connecting.
    HOMELAB_DEPLOY_ALLOWED_ADDRESSES: '127.0.0.1',
    HOMELAB_DEPLOY_BY: 'tester@ci',
    HOMELAB_DEPLOY_COMMIT: 'fixture',
  };
}
