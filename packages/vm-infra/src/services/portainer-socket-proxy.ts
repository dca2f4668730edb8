import { dockerSocketProxy } from '@homelab/shared';

/**
 * Portainer's way to the Docker API: what managing containers, images, networks and volumes takes
 * (with exec for its console), and nothing of builds, swarm, secrets, plugins or registry logins.
 */
export default dockerSocketProxy({
  name: 'portainer-socket-proxy',
  network: 'portainer-socket',
  grants: { CONTAINERS: 1, IMAGES: 1, NETWORKS: 1, VOLUMES: 1, INFO: 1, SYSTEM: 1, EXEC: 1, POST: 1, ALLOW_START: 1, ALLOW_STOP: 1, ALLOW_RESTARTS: 1 },
});
