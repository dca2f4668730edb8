import { defineService } from '@homelab/kit';

/** The Docker API sections a socket proxy lets through (1) or refuses (0), by Tecnativa's variable names. */
export type SocketProxyGrants = Partial<
  Record<'CONTAINERS' | 'IMAGES' | 'NETWORKS' | 'VOLUMES' | 'INFO' | 'SYSTEM' | 'EXEC' | 'POST' | 'ALLOW_START' | 'ALLOW_STOP' | 'ALLOW_RESTARTS' | 'DISTRIBUTION', 0 | 1>
>;

/**
 * A filter in front of a host's Docker socket for one client that the network can reach (the
 * reverse proxy, Portainer, Wings): only the API sections in `grants` pass (EVENTS, PING and
 * VERSION always; POST only when granted), on an internal network it shares with that client
 * alone, never published on the host. The only service of its host that mounts the socket.
 */
export function dockerSocketProxy<const N extends string>(spec: { readonly name: N; readonly network: string; readonly grants: SocketProxyGrants }) {
  return defineService({
    name: spec.name,
    image: 'ghcr.io/tecnativa/docker-socket-proxy:0.4.1',
    // haproxy's Alpine image with USER root (it opens the socket); busybox wget is in it.
    imageFacts: { user: '0:0', ships: ['sh', 'wget', 'haproxy'], source: 'https://github.com/Tecnativa/docker-socket-proxy/blob/master/Dockerfile' },
    role: 'docker-socket-proxy',
    volumes: [{ hostPath: '/var/run/docker.sock', target: '/var/run/docker.sock', readOnly: true, reason: 'the proxy is what stands between its client and the Docker API' }],
    environment: { EVENTS: 1, PING: 1, POST: 0, VERSION: 1, ...spec.grants },
    networks: [spec.network],
    listen: [2375],
    // HAProxy on Alpine: busybox's wget asks the Docker API's /_ping through the proxy itself.
    healthcheck: { test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:2375/_ping'], interval: '10s', timeout: '5s', retries: 12, startPeriod: '10s' },
  });
}
