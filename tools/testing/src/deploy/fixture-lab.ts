import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../workspace.js';

/** One busybox httpd of the fixture host: its port, and what its healthcheck fetches. */
export interface FixtureService {
  readonly name: string;
  readonly port: number;
  /**
   * The path its healthcheck fetches; one the server has no page for makes it unhealthy (a
   * healthcheck on a port the service does not listen on never builds: healthcheck-port-not-listened).
   */
  readonly healthPath?: string;
  /** A revision label: changes its definition without changing its behaviour. */
  readonly revision?: string;
  readonly secret?: string;
  /** The uid:gid it runs as (compose `user`); root by default, as the fixture image runs. */
  readonly user?: string;
}

export interface FixtureLab {
  readonly root: string;
  readonly host: string;
  readonly hostDir: string;
  write(services: readonly FixtureService[]): void;
  read(path: string): string;
  remove(): void;
}

export const FIXTURE_HOST = 'vm-fixture';
export const FIXTURE_IMAGE = 'homelab-fixture/busybox:1';

/**
 * How long one healthcheck of a fixture service may take (HOMELAB_TEST_HEALTHCHECK_TIMEOUT_SECONDS):
 * generous, so that a loaded machine is not read as an unhealthy service. A failing check fails fast
 * (a 404), whatever this is.
 */
export const HEALTHCHECK_TIMEOUT_SECONDS = Number(process.env.HOMELAB_TEST_HEALTHCHECK_TIMEOUT_SECONDS ?? 30);

const FACTS = `import { defineLabFacts, defineNetworkPlan, defineZfsLayout } from '@homelab/kit';

// A test-only lab on the loopback network: nothing here names a real address.
export default defineLabFacts({
  name: 'fixture-lab',
  domain: 'fixture.test',
  timezone: 'Etc/UTC',
  appIds: { uid: 1000, gid: 1000 },
  network: defineNetworkPlan({
    subnet: '127.0.0.0/24',
    gateway: '127.0.0.254',
    nameservers: ['127.0.0.254'],
    bridge: 'lo',
    ranges: { vm: { first: '127.0.0.1', last: '127.0.0.1' } },
    // The machine the tests deploy from manages the fixture (its SSH is open to it alone).
    addresses: { 'vm-fixture': { class: 'vm', address: '127.0.0.1' }, deployer: { class: 'network-device', address: '127.0.0.2' } },
    admins: ['deployer'],
  }),
  zfs: defineZfsLayout({ pool: 'tank', mountRoot: '/mnt/tank', datasets: { services: { purpose: 'fixture' } } }),
  proxmox: { defaultNode: 'pve', nodes: { pve: { cores: 4, memoryMiB: 8192 } } },
});
`;

const HOST = `import { defineVm } from '@homelab/kit';

// A test target reached over SSH only: its Proxmox definition is not managed (proxmox: false).
export default defineVm({ name: 'vm-fixture', vmid: 190, address: '127.0.0.1', cores: 1, memoryMiB: 512, diskGiB: 4, storage: [], proxmox: false });
`;

function serviceSource(s: FixtureService): string {
  const command = ['httpd', '-f', '-p', `127.0.0.1:${s.port}`, '-h', '/www'];
  const health = ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${s.port}${s.healthPath ?? '/'}`];
  return `import { defineService${s.secret ? ', secret' : ''} } from '@homelab/kit';

export default defineService({
  name: ${JSON.stringify(s.name)},
  image: ${JSON.stringify(FIXTURE_IMAGE)},
  // The fixture image is busybox imported as is: root, and busybox's applets.
  imageFacts: { user: '0:0', ships: ['sh', 'wget', 'httpd'], source: 'https://busybox.net/downloads/BusyBox.html' },
  command: ${JSON.stringify(command)},
  networkMode: 'host',
  // An init as PID 1 passes SIGTERM on: httpd stops at once instead of after the 10 s grace.
  init: true,
  listen: [${s.port}],
  ${s.revision ? `labels: { 'fixture.revision': ${JSON.stringify(s.revision)} },\n  ` : ''}${s.secret ? `secrets: [secret(${JSON.stringify(s.secret)})],\n  ` : ''}${s.user ? `user: ${JSON.stringify(s.user)},\n  ` : ''}healthcheck: { test: ${JSON.stringify(health)}, interval: '1s', timeout: '${HEALTHCHECK_TIMEOUT_SECONDS}s', retries: 2 },
});
`;
}

function packageJson(name: string, role: string): string {
  return `${JSON.stringify({ name: `@fixture/${name}`, private: true, type: 'module', homelab: { role }, exports: { '.': { source: './src/index.ts' } } }, null, 2)}\n`;
}

/**
 * A throwaway workspace holding a test-only lab: its own facts on 127.0.0.0/24 and one VM,
 * vm-fixture, whose services are busybox httpd's on the host network with healthchecks.
 * The kit comes from this repository; the homelab command runs against it as against a real lab.
 */
export function makeFixtureLab(services: readonly FixtureService[]): FixtureLab {
  const root = mkdtempSync(join(tmpdir(), 'homelab-fixture-'));
  const put = (rel: string, content: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  };
  put('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
  put('package.json', '{ "name": "fixture-lab", "private": true, "type": "module" }\n');
  mkdirSync(join(root, 'node_modules', '@homelab'), { recursive: true });
  symlinkSync(join(repoRoot, 'tools', 'kit'), join(root, 'node_modules', '@homelab', 'kit'));
  put('packages/shared/package.json', packageJson('shared', 'facts'));
  put('packages/shared/src/index.ts', FACTS);
  put(`packages/${FIXTURE_HOST}/package.json`, packageJson(FIXTURE_HOST, 'host'));
  put(`packages/${FIXTURE_HOST}/src/host.ts`, HOST);
  const lab: FixtureLab = {
    root,
    host: FIXTURE_HOST,
    hostDir: join(root, 'packages', FIXTURE_HOST),
    write(list) {
      rmSync(join(lab.hostDir, 'src', 'services'), { recursive: true, force: true });
      for (const s of list) put(`packages/${FIXTURE_HOST}/src/services/${s.name}.ts`, serviceSource(s));
      const names = list.map((s) => s.name);
      put(
        `packages/${FIXTURE_HOST}/src/index.ts`,
        `import { defineHost } from '@homelab/kit';\nimport vm from './host.js';\n${names.map((n) => `import ${n} from './services/${n}.js';`).join('\n')}\n\nexport default defineHost(vm, { services: [${names.join(', ')}] });\n`,
      );
    },
    read: (rel) => readFileSync(join(root, rel), 'utf8'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  lab.write(services);
  return lab;
}
