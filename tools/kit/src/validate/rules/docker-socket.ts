import { defineRule, servicePath } from '../rule.js';

const SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock']);

/**
 * The Docker socket is root on the host: only a socket proxy (or a service that needs the engine)
 * mounts it, read-only; the reverse proxy goes through the socket proxy, and any other service the
 * network reaches does too unless the volume says why it needs the socket itself (`directSocket`).
 */
export const dockerSocketRule = defineRule({
  description: 'The Docker socket is root on the host: never writable, only through a proxy',
  docs: 'findings.md#across-the-lab',
  codes: ['docker-socket-writable', 'docker-socket-direct'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        (service.volumes ?? []).forEach((volume, i) => {
          if (!('hostPath' in volume) || !SOCKETS.has(volume.hostPath)) return;
          const path = servicePath(host, service, `volumes[${i}]`);
          if (!volume.readOnly) {
            findings.error('docker-socket-writable', path, `${service.name} mounts the Docker socket read-write, which is root on ${host.name}; mount it read-only (readOnly: true) or reach the engine through the socket proxy.`);
          }
          if ((service.role === 'reverse-proxy' || service.route) && !volume.directSocket?.trim()) {
            findings.error('docker-socket-direct', path, `${service.name} is reachable from the network and mounts the Docker socket; give it the socket proxy's endpoint instead (tcp://<socket-proxy>:2375), or say why it needs the socket itself (directSocket: '...').`);
          }
        });
      }
    }
  },
});
