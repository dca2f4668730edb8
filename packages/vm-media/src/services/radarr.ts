import { defineService, secret } from '@homelab/kit';
import lab, { zfs, linuxserverFacts } from '@homelab/shared';
import gluetun from './gluetun.js';

/** Movie automation; all of its traffic leaves through Gluetun. */
export default defineService({
  name: 'radarr',
  image: 'lscr.io/linuxserver/radarr:6.2.1.10461-ls308',
  imageFacts: linuxserverFacts('radarr'),
  role: 'download',
  networkMode: { service: gluetun },
  dependsOn: [{ service: gluetun, condition: 'service_healthy' }],
  listen: [7878],
  environment: {
    PUID: lab.appIds.uid,
    PGID: lab.appIds.gid,
    TZ: lab.timezone,
    // The API key, set from the secret store rather than generated on first start (Servarr's
    // RADARR__AUTH__APIKEY; the linuxserver init reads FILE__ variables into it): the start page's widget uses it.
    FILE__RADARR__AUTH__APIKEY: secret('radarr_api_key'),
  },
  volumes: [
    { dataset: zfs.dataset('services/media'), sub: 'radarr', target: '/config' },
    // Downloads (/data/torrents) and library (/data/movies) through one mount of one dataset: an import
    // is a hardlink (docs/storage.md); qBittorrent sees /data/torrents at the same path.
    { dataset: zfs.dataset('media/library'), target: '/data' },
  ],
  healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:7878/ping'], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
  route: { host: 'radarr', port: 7878, access: 'authenticated', page: { description: 'Films', icon: 'radarr.png', widget: { type: 'radarr', key: secret('radarr_api_key') } } },
});
