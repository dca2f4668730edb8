import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateLab } from './generate-lab.js';
import { labLine, measureLab, type ColdWarm } from './lab-bench.js';

const NODES = ['pve', 'pve2', 'pve3'] as const;

function edit(root: string, rel: string, change: (text: string) => string): void {
  const file = join(root, rel);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`cluster bench: ${rel} did not change; generate-lab.ts changed shape`);
  writeFileSync(file, after);
}

/**
 * The generated lab of `hosts` x `services`, made a three-node Proxmox cluster (docs/cluster.md):
 * nodes with addresses, storages and the pool; a third of the hosts placed on each node by rule;
 * every fifth host HA (virtiofs accepted), kept apart or pinned by rules, replicated every 15
 * minutes; and the Proxmox host package that holds the pool and renders the cluster's files.
 */
export function generateClusterLab(kitDir: string, hosts: number, services: number): string {
  const root = generateLab(kitDir, hosts, services);
  const third = Math.ceil(hosts / 3);
  const names = (from: number, to: number) => Array.from({ length: Math.max(0, Math.min(to, hosts) - from) }, (_, i) => `'h${from + i}'`).join(', ');
  const ha = Array.from({ length: hosts }, (_, h) => h).filter((h) => h % 5 === 0);
  const haGuests = ha.map((h) => `'h${h}': { offlineMigration: 'bench' }`).join(', ');
  const rules = ha.length >= 4
    ? `rules: [{ id: 'apart', type: 'resource-affinity', hosts: ['h${ha[0]}', 'h${ha[1]}'], affinity: 'negative' }, { id: 'pinned', type: 'node-affinity', hosts: ['h${ha[2]}', 'h${ha[3]}'], nodes: { pve2: 2, pve3: 1 } }],`
    : '';
  // Each node's third writes an apps dataset of its own: one writer node per dataset keeps the
  // copies of the pool in step (pool-copies-diverge otherwise).
  const appsOf = (h: number) => (h < third ? 'services/apps' : h < 2 * third ? 'services/apps2' : 'services/apps3');
  for (let h = third; h < hosts; h++) {
    const files = ['src/index.ts', ...Array.from({ length: services }, (_, s) => `src/services/s${s}.ts`)];
    for (const f of files) edit(root, `packages/h${h}/${f}`, (t) => t.replace("zfs.dataset('services/apps')", `zfs.dataset('${appsOf(h)}')`));
  }
  edit(root, 'packages/shared/src/index.ts', (t) =>
    t
      .replace("'services/apps': { purpose: 'apps' },", "'services/apps': { purpose: 'apps' }, 'services/apps2': { purpose: 'apps on pve2' }, 'services/apps3': { purpose: 'apps on pve3' },")
      .replace("    router: { class: 'router', address: '10.20.0.1' },", `    router: { class: 'router', address: '10.20.0.1' },\n${NODES.map((n, i) => `    ${n}: { class: 'network-device', address: '10.20.0.${2 + i}' },`).join('\n')}`)
      .replace(
        "proxmox: { defaultNode: 'pve', nodes: { pve: { cores: 4096, memoryMiB: 16777216 } } }",
        `proxmox: { defaultNode: 'pve3', cluster: { name: 'bench' },
    nodes: { ${NODES.map((n, i) => `${n}: { cores: 2048, memoryMiB: 8388608, address: '10.20.0.${2 + i}', storageGiB: { 'local-zfs': 1048576 }, holdsPool: true }`).join(', ')} },
    placement: [{ hosts: [${names(0, third)}], node: 'pve', why: 'bench' }, { hosts: [${names(third, 2 * third)}], node: 'pve2', why: 'bench' }],
    ha: { guests: { ${haGuests} }, ${rules} replication: { schedule: '*/15' } },
    poolSync: { every: '15min' } }`,
      ),
  );
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  write('packages/pve/package.json', JSON.stringify({ name: '@homelab/pve', type: 'module', homelab: { role: 'host' }, exports: { '.': { source: './src/index.ts' } } }));
  write(
    'packages/pve/src/index.ts',
    `import { defineProxmoxHost, defineProxmoxStorage, defineSnapshotPolicy } from '@homelab/kit';
import { network, zfs } from '@homelab/shared';
const daily = defineSnapshotPolicy({ name: 'daily', purpose: 'bench', keep: { daily: 7 } });
export default defineProxmoxStorage(defineProxmoxHost({ name: 'pve', node: 'pve', address: network.addressOf('pve'), pool: zfs.pool }), { snapshots: { services: daily, media: daily } });
`,
  );
  return root;
}

/** The generated three-node cluster of 50 hosts x `services`, measured like the other labs, its folder removed again. */
export function clusterLines(kitDir: string, hosts = 50, services = 4): string[] {
  const root = generateClusterLab(kitDir, hosts, services);
  try {
    const figures: ColdWarm = measureLab(root);
    const lines = [labLine(`generated 3-node cluster ${hosts}x${services}`, figures)];
    if (figures.warm.errors > 0) lines.push('WARNING: the generated cluster has errors; the figures measure a failing validation');
    return lines;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
