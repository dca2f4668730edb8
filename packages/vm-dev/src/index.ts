import { defineHost } from '@homelab/kit';
import { vmAgents } from '@homelab/shared';
import vm from './host.js';
import codeServer from './services/code-server.js';
import registry from './services/registry.js';

export default defineHost(vm, {
  services: [...vmAgents, codeServer, registry],
  // The seed's Kubernetes experiments: a single-server k3s; the registry runs in it (docs/kubernetes.md).
  kubernetes: { distribution: 'k3s', version: 'v1.34.1+k3s1' },
});
