import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// defineService refuses an unknown field at compile time, at every depth the kit reads: `const S`
// switches off TypeScript's excess-property check, so without StrictServiceSpec a misspelled
// nested field (`route.page.widgt`, `healthcheck.intervall`, `volumes[0].readonly`) would pass
// tsc and be dropped. Each case is a host package's service file, compiled by the workspace's tsc.
const kit = join(import.meta.dirname, '..');
const tsc = join(kit, 'node_modules', '.bin', 'tsc');
const base = `name: 'web', image: 'nginx:1.27', imageFacts: { user: '0:0', ships: [], source: 'https://example.org' }, listen: [80]`;

const cases: Record<string, { spec: string; refused: string[] }> = {
  right: {
    spec: `{ ${base}, ports: [{ target: 80, reason: 'x', exposure: 'lan' }], volumes: [{ volume: 'data', target: '/data', readOnly: true }, { hostPath: '/srv', target: '/srv', reason: 'x' }],
      healthcheck: { test: ['CMD', 'true'], interval: '5s' }, dependsOn: [{ service: 'db', condition: 'service_healthy' }],
      route: { host: 'web', port: 80, access: 'authenticated', page: { icon: 'nginx.png', widget: { type: 'prometheus', key: secret('k') } } } }`,
    refused: [],
  },
  service: { spec: `{ ${base}, healthchek: { test: ['CMD', 'true'] } }`, refused: ['healthchek'] },
  page: { spec: `{ ${base}, route: { host: 'web', port: 80, access: 'authenticated', page: { icn: 'x' } } }`, refused: ['icn'] },
  widget: { spec: `{ ${base}, route: { host: 'web', port: 80, access: 'authenticated', page: { widget: { type: 'sonarr', kee: 'x' } } } }`, refused: ['kee'] },
  healthcheck: { spec: `{ ${base}, healthcheck: { test: ['CMD', 'true'], intervall: '5s' } }`, refused: ['intervall'] },
  volume: { spec: `{ ${base}, volumes: [{ volume: 'a', target: '/a' }, { volume: 'data', target: '/data', readonly: true }] }`, refused: ['readonly'] },
  port: { spec: `{ ${base}, ports: [{ target: 80, reasn: 'x' }] }`, refused: ['reasn'] },
  volumeKind: { spec: `{ ${base}, volumes: [{ volume: 'data', target: '/data', sub: 'x' }] }`, refused: ['sub'] },
  dependency: { spec: `{ ${base}, dependsOn: [{ service: 'db', conditon: 'service_healthy' }] }`, refused: ['conditon'] },
};

// The other define* helpers refuse an unknown top-level field the same way (their nested objects
// are checked at validate time: host-unknown-field).
const vm = `name: 'vm-x', vmid: 130, address: '192.168.0.30', cores: 2, memoryMiB: 2048, diskGiB: 16, storage: []`;
const helpers: Record<string, { helper: string; spec: string; refused: string[] }> = {
  vmRight: { helper: 'defineVm', spec: `{ ${vm} }`, refused: [] },
  vm: { helper: 'defineVm', spec: `{ ${vm}, memroyMiB: 4096 }`, refused: ['memroyMiB'] },
  samba: { helper: 'defineSamba', spec: `{ name: 'samba', workgroup: 'W', netbiosName: 'N', forceUser: { name: 'u', uid: 1000, gid: 1000 }, allowFrom: [], users: [], shares: [], alowFrom: ['x'] }`, refused: ['alowFrom'] },
  nodeExporter: { helper: 'defineNodeExporter', spec: `{ name: 'node-exporter', port: 9100, colectors: [] }`, refused: ['colectors'] },
};

let dir: string;
const found = new Map<string, string[]>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-define-types-'));
  const service = join(kit, 'src', 'model', 'service.js');
  const secret = join(kit, 'src', 'model', 'secret.js');
  for (const [name, c] of Object.entries(cases)) {
    writeFileSync(join(dir, `${name}.mts`), `import { defineService } from '${service}';\nimport { secret } from '${secret}';\nvoid secret;\nexport default defineService(${c.spec});\n`);
  }
  const kitIndex = join(kit, 'src', 'index.js');
  for (const [name, c] of Object.entries(helpers)) {
    writeFileSync(join(dir, `${name}.mts`), `import { ${c.helper} } from '${kitIndex}';\nexport default ${c.helper}(${c.spec});\n`);
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(kit, '..', '..', 'tsconfig.base.json'), compilerOptions: { noEmit: true, types: [], rootDir: '/' }, include: ['*.mts'] }));
  const r = spawnSync(tsc, ['-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
  if (r.error) throw r.error;
  // `name.mts(line,col): error TS...`: the text at that place is the refused field's name.
  for (const m of r.stdout.matchAll(/^(?:.*[\\/])?(\w+)\.mts\((\d+),(\d+)\): error TS\d+/gm)) {
    const line = readFileSync(join(dir, `${m[1]}.mts`), 'utf8').split('\n')[Number(m[2]) - 1]!;
    found.set(m[1]!, [...(found.get(m[1]!) ?? []), /^\w+/.exec(line.slice(Number(m[3]) - 1))?.[0] ?? line]);
  }
  if (r.status !== 0 && found.size === 0) throw new Error(`tsc failed without a diagnostic of a case: ${r.stdout}${r.stderr}`);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('defineService at compile time', () => {
  it.each(Object.entries(cases))('%s: refuses exactly the misspelled field', (name, c) => {
    expect(found.get(name) ?? []).toEqual(c.refused);
  });
});

describe('the other define* helpers at compile time', () => {
  it.each(Object.entries(helpers))('%s: refuses exactly the misspelled field', (name, c) => {
    expect(found.get(name) ?? []).toEqual(c.refused);
  });
});
