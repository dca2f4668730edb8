import { defineService } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';

/** Jellyfin's HTTP port: published, listened on, asked by the healthcheck and routed to. */
const HTTP = 8096;

/** The media server; it streams on the LAN and stays off the VPN. */
export default defineService({
  name: 'jellyfin',
  image: 'jellyfin/jellyfin:10.11.11',
  // Debian, no USER; curl is installed for its HEALTHCHECK (curl /health on its port).
  imageFacts: { user: '0:0', ships: ['sh', 'bash', 'curl', '/jellyfin/jellyfin'], source: 'https://github.com/jellyfin/jellyfin-packaging/blob/master/docker/Dockerfile' },
  role: 'media-server',
  user: `${lab.appIds.uid}:${lab.appIds.gid}`,
  ports: [
    { target: HTTP, reason: 'reached by Traefik on vm-infra as jellyfin.local' },
    { target: 7359, protocol: 'udp', exposure: 'lan', reason: 'Jellyfin client auto-discovery on the LAN' },
  ],
  listen: [HTTP, 7359],
  environment: { TZ: lab.timezone, JELLYFIN_PublishedServerUrl: `https://jellyfin.${lab.domain}` },
  volumes: [
    { dataset: zfs.dataset('services/media'), sub: 'jellyfin/config', target: '/config' },
    { volume: 'jellyfin-cache', target: '/cache' },
    // The libraries only, read-only: Jellyfin has no business in torrents/.
    { dataset: zfs.dataset('media/library'), sub: 'movies', target: '/media/movies', readOnly: true },
    { dataset: zfs.dataset('media/library'), sub: 'shows', target: '/media/shows', readOnly: true },
  ],
  healthcheck: { test: ['CMD', 'curl', '-fsS', `http://localhost:${HTTP}/health`], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
  // Jellyfin's TV and mobile apps cannot follow a browser login; Jellyfin authenticates its users itself.
  route: { host: 'jellyfin', port: HTTP, access: { public: 'Jellyfin clients (TV, mobile) cannot pass forward auth; Jellyfin has its own login' }, page: { description: 'Films and series to watch', icon: 'jellyfin.png' } },
});
