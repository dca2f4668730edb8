import { dockerSocketProxy } from '@homelab/shared';

/**
 * Wings' way to the Docker API: what running game servers takes (create, start, stop, kill and
 * attach to containers, pull images, its network, disk usage), and nothing of exec, builds,
 * volumes, swarm or secrets. The Docker client in Wings follows DOCKER_HOST.
 */
export default dockerSocketProxy({
  name: 'wings-socket-proxy',
  network: 'wings-socket',
  grants: { CONTAINERS: 1, IMAGES: 1, NETWORKS: 1, INFO: 1, SYSTEM: 1, POST: 1, ALLOW_START: 1, ALLOW_STOP: 1, ALLOW_RESTARTS: 1 },
});
