import { defineHost } from '@homelab/kit';
import { vmAgents } from '@homelab/shared';
import vm from './host.js';
import gluetun from './services/gluetun.js';
import jellyfin from './services/jellyfin.js';
import prowlarr from './services/prowlarr.js';
import qbittorrent from './services/qbittorrent.js';
import radarr from './services/radarr.js';
import sonarr from './services/sonarr.js';

export default defineHost(vm, {
  services: [...vmAgents, gluetun, jellyfin, prowlarr, qbittorrent, radarr, sonarr],
  volumes: ['jellyfin-cache'],
});
