import { defineService } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';

/** The media server; it streams on the LAN and stays off the VPN. */
export default defineService({
  name: 'jellyfin',
  image: 'jellyfin/jellyfin:10.11.11',
  role: 'media-server',
  user: `${lab.appIds.uid}:${lab.appIds.gid}`,
  ports: [
    { target: 8096, reason: 'reached by Traefik on vm-infra as jellyfin.local' },
    { target: 7359, protocol: 'udp', exposure: 'lan', reason: 'Jellyfin client auto-discovery on the LAN' },
  ],
  listen: [8096, 7359],
  environment: { TZ: lab.timezone, JELLYFIN_PublishedServerUrl: `https://jellyfin.${lab.domain}` },
  volumes: [
    { dataset: zfs.dataset('services/media'), sub: 'jellyfin/config', target: '/config' },
    { volume: 'jellyfin-cache', target: '/cache' },
    { dataset: zfs.dataset('media/movies'), target: '/media/movies', readOnly: true },
    { dataset: zfs.dataset('media/shows'), target: '/media/shows', readOnly: true },
  ],
  healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8096/health'], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
  // Jellyfin's TV and mobile apps cannot follow a browser login; Jellyfin authenticates its users itself.
  route: { host: 'jellyfin', port: 8096, access: { public: 'Jellyfin clients (TV, mobile) cannot pass forward auth; Jellyfin has its own login' } },
});
