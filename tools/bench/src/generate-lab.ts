import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes a lab of `hosts` x `services` as real TypeScript packages, shaped like the real lab's. */
export function generateLab(kitDir: string, hosts: number, services: number): string {
  const root = mkdtempSync(join(tmpdir(), `homelab-bench-${hosts}x${services}-`));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
  write('package.json', '{ "name": "generated-lab", "private": true, "type": "module" }\n');
  mkdirSync(join(root, 'node_modules', '@homelab'), { recursive: true });
  symlinkSync(kitDir, join(root, 'node_modules', '@homelab', 'kit'));
  symlinkSync(join(root, 'packages', 'shared'), join(root, 'node_modules', '@homelab', 'shared'));
  const pkg = (name: string, role: string) =>
    JSON.stringify({ name: `@homelab/${name}`, type: 'module', homelab: { role }, exports: { '.': { source: './src/index.ts' } } });

  const addresses = Array.from({ length: hosts }, (_, h) => `    'h${h}': { class: 'vm', address: '10.20.${1 + Math.floor(h / 200)}.${10 + (h % 200)}' },`);
  write('packages/shared/package.json', pkg('shared', 'facts'));
  write(
    'packages/shared/src/index.ts',
    `import { defineLabFacts, defineNetworkPlan, defineZfsLayout } from '@homelab/kit';
export const network = defineNetworkPlan({
  subnet: '10.20.0.0/16', gateway: '10.20.0.1', nameservers: ['10.20.0.1'], bridge: 'vmbr0',
  ranges: { router: { first: '10.20.0.1', last: '10.20.0.1' }, 'network-device': { first: '10.20.0.2', last: '10.20.0.9' }, vm: { first: '10.20.1.1', last: '10.20.9.254' } },
  addresses: {
    router: { class: 'router', address: '10.20.0.1' },
    admin: { class: 'network-device', address: '10.20.0.5' },
${addresses.join('\n')}
  },
  admins: ['admin'],
});
export const zfs = defineZfsLayout({ pool: 'tank', mountRoot: '/mnt/tank', datasets: {
  services: { purpose: 'service data' }, 'services/apps': { purpose: 'apps' }, media: { purpose: 'media' },
} });
export default defineLabFacts({ name: 'generated', domain: 'lab.example', timezone: 'Etc/UTC', appIds: { uid: 1000, gid: 1000 },
  network, zfs, proxmox: { defaultNode: 'pve', nodes: { pve: { cores: 4096, memoryMiB: 16777216 } } } });
`,
  );
  for (let h = 0; h < hosts; h++) {
    const host = `h${h}`;
    write(`packages/${host}/package.json`, pkg(host, 'host'));
    const imports: string[] = [];
    for (let s = 0; s < services; s++) {
      imports.push(`import s${s} from './services/s${s}.js';`);
      write(
        `packages/${host}/src/services/s${s}.ts`,
        `import { defineService, secret } from '@homelab/kit';
import lab, { zfs } from '@homelab/shared';
export default defineService({
  name: 'app${s}',
  image: 'ghcr.io/example/app${s}:1.${s}.0@sha256:${'ab'.repeat(32)}',
  imageFacts: { user: '1000:1000', ships: ['wget'], source: 'https://example.com/app${s}/Dockerfile' },
  ports: [{ target: 8080, published: ${10000 + s}, reason: 'bench' }],
  listen: [8080],
  environment: { TZ: lab.timezone, PUID: lab.appIds.uid, APP_DB_PASSWORD_FILE: secret('app${s}_db_password') },
  volumes: [{ dataset: zfs.dataset('services/apps'), sub: 'app${s}', target: '/data' }, { dataset: zfs.dataset('media'), target: '/media', readOnly: true }],
  healthcheck: { test: ['CMD', 'wget', '-q', '-O-', 'http://127.0.0.1:8080/health'], interval: '30s', timeout: '5s', retries: 3 },
  ${s > 0 ? `dependsOn: [{ service: 'app${s - 1}', condition: 'service_healthy' }],` : ''}
  route: { host: '${host}-app${s}', port: 8080, access: 'authenticated' },
});
`,
      );
    }
    write(
      `packages/${host}/src/index.ts`,
      `import { defineHost, defineVm, secret } from '@homelab/kit';
import { network, zfs } from '@homelab/shared';
${imports.join('\n')}
export default defineHost(defineVm({ name: '${host}', vmid: ${1000 + h}, address: network.addressOf('${host}'), cores: 8, memoryMiB: 65536, diskGiB: 256,
  disk: { importFrom: 'local:import/debian-13-genericcloud-amd64.qcow2' }, cloudInit: { sshKeys: secret('vm_ssh_authorized_keys') },
  storage: [zfs.dataset('services/apps'), zfs.dataset('media')] }), { services: [${Array.from({ length: services }, (_, s) => `s${s}`).join(', ')}] });
`,
    );
  }
  return root;
}
