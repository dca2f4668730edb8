import { defineService } from '@homelab/kit';
import lab from '@homelab/shared';

const SAME_PATH = 'Wings starts game containers through the host\'s Docker engine, which resolves these paths on the host: they must be the same inside and out';

/**
 * Pelican's Wings daemon, as upstream's compose runs it: the Docker socket itself, /etc/pelican,
 * /var/lib/pelican, /var/log/pelican and /tmp/pelican mounted at the same path inside as on the
 * VM, the engine's container logs, the host's CA certificates. Its config.yml (/etc/pelican) is
 * the node's configuration from the panel, put there once by hand (docs/hosts.md, vm-games). The
 * image is distroless (no shell, no HTTP client) and Wings has no health command, so there is no
 * container health check; the panel shows the node's heartbeat.
 */
export default defineService({
  name: 'wings',
  image: 'ghcr.io/pelican/wings:v1.0.0-beta29',
  // Distroless: the wings binary and nothing else (no shell, no HTTP client); runs as root.
  imageFacts: { user: '0:0', ships: ['wings'], source: 'https://github.com/pelican-dev/wings/blob/main/Dockerfile' },
  role: 'game-server',
  volumes: [
    {
      hostPath: '/var/run/docker.sock',
      target: '/var/run/docker.sock',
      // Read-only keeps the lab's socket rule; it limits nothing (connecting is not writing a file).
      readOnly: true,
      reason: 'Wings creates, starts, attaches to and removes the game servers\' containers',
      directSocket: "the socket proxy's HAProxy ends every stream after its 10-minute timeouts, which cuts the console attach streams Wings holds open for hours",
    },
    { hostPath: '/var/lib/docker/containers', target: '/var/lib/docker/containers', reason: 'Wings reads the game containers\' logs' },
    { hostPath: '/etc/pelican', target: '/etc/pelican', reason: SAME_PATH },
    { hostPath: '/var/lib/pelican', target: '/var/lib/pelican', reason: SAME_PATH },
    { hostPath: '/var/log/pelican', target: '/var/log/pelican', reason: SAME_PATH },
    { hostPath: '/tmp/pelican', target: '/tmp/pelican', reason: SAME_PATH },
    { hostPath: '/etc/ssl/certs', target: '/etc/ssl/certs', readOnly: true, reason: 'the VM\'s CA certificates, for Wings\' calls to the panel over HTTPS' },
  ],
  environment: {
    TZ: lab.timezone,
    // The user Wings creates for the game servers' files.
    WINGS_GID: 988,
    WINGS_UID: 988,
    WINGS_USERNAME: 'pelican',
  },
  ports: [
    { target: 8080, reason: 'the Wings API and console websockets, reached by Traefik on vm-infra as wings.<domain>' },
    { target: 2022, exposure: 'lan', reason: 'SFTP to the game servers\' files, straight from players\' SFTP clients' },
  ],
  listen: [8080, 2022],
  // Game servers get ports from this range in the panel (an allocation each); Wings binds them
  // when it starts their containers, so compose publishes none of them.
  allocations: [
    { target: '25565-25664', exposure: 'lan', reason: 'game servers, joined by players directly' },
    { target: '25565-25664', protocol: 'udp', exposure: 'lan', reason: 'game servers, joined by players directly' },
  ],
  tty: true,
  // The panel and the browser console call Wings with the panel's tokens: no forward auth in front.
  // Wings calls the panel at its config.yml's `remote` (https://panel.<domain>, the panel's APP_URL).
  callsOverHttps: ['panel'],
  route: { host: 'wings', port: 8080, access: { public: 'the panel and the browser console authenticate to Wings with tokens the panel issues' }, page: { description: 'The game servers\' daemon (Pelican Wings)', icon: 'pelican-panel.png' } },
});
