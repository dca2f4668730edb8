import { defineService, secret } from '@homelab/kit';
import lab, { zfs, linuxserverFacts } from '@homelab/shared';
import gluetun from './gluetun.js';

/** TV series automation; all of its traffic leaves through Gluetun. */
export default defineService({
  name: 'sonarr',
  image: 'lscr.io/linuxserver/sonarr:4.0.19.2979-ls316',
  imageFacts: linuxserverFacts('sonarr'),
  role: 'download',
  networkMode: { service: gluetun },
  dependsOn: [{ service: gluetun, condition: 'service_healthy' }],
  listen: [8989],
  environment: {
    PUID: lab.appIds.uid,
    PGID: lab.appIds.gid,
    TZ: lab.timezone,
    // The API key, set from the secret store rather than generated on first start (Servarr's
    // SONARR__AUTH__APIKEY; the linuxserver init reads FILE__ variables into it): the start page's widget uses it.
    FILE__SONARR__AUTH__APIKEY: secret('sonarr_api_key'),
  },
  volumes: [
    { dataset: zfs.dataset('services/media'), sub: 'sonarr', target: '/config' },
    // Downloads (/data/torrents) and library (/data/shows) through one mount of one dataset: an import
    // is a hardlink (docs/storage.md); qBittorrent sees /data/torrents at the same path.
    { dataset: zfs.dataset('media/library'), target: '/data' },
  ],
  healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:8989/ping'], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
  route: { host: 'sonarr', port: 8989, access: 'authenticated', page: { description: 'Series', icon: 'sonarr.png', widget: { type: 'sonarr', key: secret('sonarr_api_key') } } },
});
