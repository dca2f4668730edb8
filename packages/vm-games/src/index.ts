import { defineHost } from '@homelab/kit';
import { vmAgents } from '@homelab/shared';
import vm from './host.js';
import pelicanPanel from './services/pelican-panel.js';
import wings from './services/wings.js';

export default defineHost(vm, { services: [...vmAgents, pelicanPanel, wings] });
