import { defineHost } from '@homelab/kit';
import { vmAgents } from '@homelab/shared';
import vm from './host.js';
import pelicanPanel from './services/pelican-panel.js';
import wings from './services/wings.js';
import wingsSocketProxy from './services/wings-socket-proxy.js';

export default defineHost(vm, {
  services: [...vmAgents, pelicanPanel, wings, wingsSocketProxy],
  networks: {
    default: {},
    // Wings' socket proxy and Wings alone; nothing leaves it.
    'wings-socket': { internal: true },
  },
});
