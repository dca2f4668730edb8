import { dockerSocketProxy } from '@homelab/shared';

/** Traefik's only way to the Docker API: read-only requests about containers and their events. */
export default dockerSocketProxy({ name: 'docker-socket-proxy', network: 'socket-proxy', grants: { CONTAINERS: 1 } });
