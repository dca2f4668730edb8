import { defineHost } from '@homelab/kit';
import { vmAgents } from '@homelab/shared';
import vm from './host.js';
import codeServer from './services/code-server.js';
import registry from './services/registry.js';

export default defineHost(vm, {
  services: [...vmAgents, codeServer, registry],
});
