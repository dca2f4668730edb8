import { defineService, secret } from '@homelab/kit';
import lab, { zfs, linuxserverFacts } from '@homelab/shared';
import gluetun from './gluetun.js';

/** Indexer manager for Sonarr and Radarr; it talks to indexers only through Gluetun. */
export default defineService({
  name: 'prowlarr',
  image: 'lscr.io/linuxserver/prowlarr:2.5.2.5491-ls155',
  imageFacts: linuxserverFacts('prowlarr'),
  role: 'indexer',
  networkMode: { service: gluetun },
  dependsOn: [{ service: gluetun, condition: 'service_healthy' }],
  listen: [9696],
  environment: {
    PUID: lab.appIds.uid,
    PGID: lab.appIds.gid,
    TZ: lab.timezone,
    // The API key, set from the secret store rather than generated on first start (Servarr's
    // PROWLARR__AUTH__APIKEY; the linuxserver init reads FILE__ variables into it): the start page's widget uses it.
    FILE__PROWLARR__AUTH__APIKEY: secret('prowlarr_api_key'),
  },
  volumes: [{ dataset: zfs.dataset('services/media'), sub: 'prowlarr', target: '/config' }],
  healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:9696/ping'], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
  route: { host: 'prowlarr', port: 9696, access: 'authenticated', page: { description: 'Indexers', icon: 'prowlarr.png', widget: { type: 'prowlarr', key: secret('prowlarr_api_key') } } },
});
