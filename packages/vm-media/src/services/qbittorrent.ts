import { defineService } from '@homelab/kit';
import lab, { zfs, linuxserverFacts } from '@homelab/shared';
import gluetun from './gluetun.js';

/** qBittorrent's web UI: listened on inside Gluetun's namespace, published on Gluetun, routed with auth. */
const WEBUI = 8080;

/**
 * The download client Sonarr and Radarr hand torrents to; like them, all of its traffic leaves
 * through Gluetun. It mounts the one library filesystem at the path the *arrs see it (/data) and
 * saves to /data/torrents, so that an import is a hardlink, never a copy (docs/storage.md).
 */
export default defineService({
  name: 'qbittorrent',
  image: 'lscr.io/linuxserver/qbittorrent:5.1.2-r0-ls407',
  imageFacts: linuxserverFacts('qbittorrent'),
  role: 'download',
  networkMode: { service: gluetun },
  dependsOn: [{ service: gluetun, condition: 'service_healthy' }],
  listen: [WEBUI],
  environment: { PUID: lab.appIds.uid, PGID: lab.appIds.gid, TZ: lab.timezone, WEBUI_PORT: WEBUI },
  volumes: [
    { dataset: zfs.dataset('services/downloads'), sub: 'qbittorrent', target: '/config' },
    // The whole dataset, as the *arrs see it, saving to /data/torrents (set in its web UI). Not
    // only torrents/ as a `sub`: deploy would create that folder as root (the image starts as
    // root), and linuxserver's init hands only /config to the app user, so qBittorrent could not
    // write its downloads.
    { dataset: zfs.dataset('media/library'), target: '/data' },
  ],
  // The login page answers 200 without a session; the API would answer 403.
  healthcheck: { test: ['CMD', 'curl', '-fsS', `http://localhost:${WEBUI}/`], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
  route: { host: 'qbittorrent', port: WEBUI, access: 'authenticated', page: { description: 'Downloads, through the VPN', icon: 'qbittorrent.png' } },
});
