import { defineService } from '@homelab/kit';
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
  environment: { PUID: lab.appIds.uid, PGID: lab.appIds.gid, TZ: lab.timezone },
  volumes: [
    { dataset: zfs.dataset('services/media'), sub: 'radarr', target: '/config' },
    { dataset: zfs.dataset('media/movies'), target: '/movies' },
    { dataset: zfs.dataset('services/downloads'), target: '/downloads' },
  ],
  healthcheck: { test: ['CMD', 'curl', '-fsS', 'http://localhost:7878/ping'], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
  route: { host: 'radarr', port: 7878, access: 'authenticated' },
});
