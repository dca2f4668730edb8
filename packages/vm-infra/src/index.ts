import { defineHost } from '@homelab/kit';
import { vmAgents } from '@homelab/shared';
import vm from './host.js';
import adguardExporter from './services/adguard-exporter.js';
import alertmanager from './services/alertmanager.js';
import authentikPostgres from './services/authentik-postgres.js';
import authentikServer from './services/authentik-server.js';
import authentikWorker from './services/authentik-worker.js';
import dockerSocketProxy from './services/docker-socket-proxy.js';
import grafana from './services/grafana.js';
import homepage from './services/homepage.js';
import portainer from './services/portainer.js';
import pveExporter from './services/pve-exporter.js';
import portainerSocketProxy from './services/portainer-socket-proxy.js';
import prometheus from './services/prometheus.js';
import redis from './services/redis.js';
import traefik from './services/traefik.js';

export default defineHost(vm, {
  services: [...vmAgents, adguardExporter, alertmanager, authentikPostgres, authentikServer, authentikWorker, dockerSocketProxy, grafana, homepage, portainer, portainerSocketProxy, prometheus, pveExporter, redis, traefik],
  networks: {
    default: {},
    // Each socket proxy's own network, shared with its one client; nothing leaves them.
    'portainer-socket': { internal: true },
    'socket-proxy': { internal: true },
  },
});
