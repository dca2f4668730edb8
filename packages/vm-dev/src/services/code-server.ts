import { defineService, secret } from '@homelab/kit';
import lab, { zfs, linuxserverFacts } from '@homelab/shared';

/**
 * VS Code in the browser, with this repository checked out in its workspace: edit a service,
 * run `pnpm homelab validate` and the tests from any machine, without a local toolchain.
 */
export default defineService({
  name: 'code-server',
  image: 'lscr.io/linuxserver/code-server:4.137.0-ls364',
  imageFacts: linuxserverFacts('code-server'),
  role: 'app',
  volumes: [{ dataset: zfs.dataset('services/dev'), sub: 'code-server', target: '/config' }],
  environment: {
    DEFAULT_WORKSPACE: '/config/workspace',
    // linuxserver images read FILE__<NAME> from a file: the editor's own password, behind forward auth.
    FILE__PASSWORD: secret('code_server_password'),
    PGID: lab.appIds.gid,
    PROXY_DOMAIN: `code.${lab.domain}`,
    PUID: lab.appIds.uid,
    TZ: lab.timezone,
  },
  ports: [{ target: 8443, reason: 'reached by Traefik on vm-infra as code.<domain>' }],
  listen: [8443],
  healthcheck: { test: ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://localhost:8443/healthz'], interval: '30s', timeout: '10s', retries: 3, startPeriod: '60s' },
  route: { host: 'code', port: 8443, access: 'authenticated', group: 'admins', page: { description: 'VS Code in the browser (admins)', icon: 'code-server.png' } },
});
