import { describe, expect, it } from 'vitest';
import { makeWorkspace, snapshotDir, type Workspace } from '@homelab/testing';
import { STACK_TRACE, homelab } from './run-cli.js';

// Every way the lab can fail to load is one finding naming the file and what to do: exit 1,
// no stack trace, nothing written to dist/, for every command that loads the lab.
interface LoadCase {
  readonly name: string;
  readonly code: string;
  /** The finding's path contains this (the file to fix). */
  readonly path: string;
  /** The message contains this (what to do). */
  readonly says: RegExp;
  readonly breakIt: (ws: Workspace) => void;
}

/** A service file's import of the kit, whatever names it imports: the anchor the breaks are added after. */
const KIT_IMPORT = /^(import .* from '@homelab\/kit';)$/m;

const cases: LoadCase[] = [
  {
    name: 'a service file importing one that imports it back',
    code: 'lab-import-cycle',
    path: 'packages/vm-media/src/services/gluetun.ts',
    says: /sonarr\.ts -> .*gluetun\.ts/,
    breakIt: (ws) =>
      ws.edit('packages/vm-media/src/services/gluetun.ts', KIT_IMPORT, "$1\nimport sonarr from './sonarr.js';\nexport const behind = [sonarr];"),
  },
  {
    name: 'an import of a name the module does not export',
    code: 'lab-load',
    path: 'packages/vm-media/src/services/sonarr.ts',
    says: /No matching export|not exported|undefined/i,
    breakIt: (ws) => ws.edit('packages/vm-media/src/services/sonarr.ts', KIT_IMPORT, "$1\nimport { notThere } from '@homelab/shared';\nconsole.log(notThere);"),
  },
  {
    name: 'a name read from a namespace import that is not there',
    code: 'lab-import-undefined',
    path: 'packages/vm-media/src/services/sonarr.ts',
    says: /gluetunn.*undefined/,
    breakIt: (ws) => {
      ws.edit('packages/vm-media/src/services/sonarr.ts', "import gluetun from './gluetun.js';", "import * as g from './gluetun.js';\nconst gluetun = (g as any).gluetunn;");
    },
  },
  {
    name: 'a module that throws while it loads',
    code: 'lab-module-throws',
    path: 'packages/vm-media/src/services/radarr.ts',
    says: /radarr needs a movies folder/,
    breakIt: (ws) => ws.edit('packages/vm-media/src/services/radarr.ts', KIT_IMPORT, "$1\nif (Date.now() > 0) throw new Error('radarr needs a movies folder');"),
  },
  {
    name: 'a service file whose default export is not a definition',
    code: 'service-invalid',
    path: 'vm-media/services[7]',
    says: /defineService/,
    breakIt: (ws) => ws.write('packages/vm-media/src/services/sonarr.ts', "export default { name: 'sonarr' };\n"),
  },
  {
    name: 'a service list with a hole in it',
    code: 'service-invalid',
    path: 'vm-media/services[2]',
    says: /undefined/,
    breakIt: (ws) => ws.edit('packages/vm-media/src/index.ts', 'gluetun, jellyfin', 'undefined as never, jellyfin'),
  },
  {
    name: 'a dependency on a service value that is undefined',
    code: 'service-invalid',
    path: 'vm-media/radarr/dependsOn[0]',
    says: /undefined/,
    breakIt: (ws) => ws.edit('packages/vm-media/src/services/radarr.ts', /dependsOn: \[\{ service: gluetun/, 'dependsOn: [{ service: undefined as never'),
  },
  {
    name: 'a healthcheck test that is not a list',
    code: 'service-invalid',
    path: 'vm-media/radarr/healthcheck.test',
    says: /list of strings/,
    breakIt: (ws) => ws.edit('packages/vm-media/src/services/radarr.ts', /healthcheck: \{ test: \[[^\]]*\]/, "healthcheck: { test: 'curl -f http://localhost:7878/ping' as never"),
  },
  {
    name: 'a list with an undefined entry',
    code: 'service-invalid',
    path: 'vm-media/sonarr/volumes[0]',
    says: /undefined/,
    breakIt: (ws) => ws.edit('packages/vm-media/src/services/sonarr.ts', 'volumes: [', 'volumes: [undefined as never, '),
  },
  {
    name: 'facts without the storage layout',
    code: 'lab-facts',
    path: 'shared/src/index.ts',
    says: /has no zfs/,
    breakIt: (ws) => ws.edit('packages/shared/src/index.ts', "export { default } from './facts.js';", "import facts from './facts.js';\nexport default { ...facts, zfs: undefined };"),
  },
];

describe.each([['validate'], ['build'], ['inventory'], ['plan', 'vm-media']])('homelab %s when the lab does not load', (...command) => {
  it.each(cases)('$name -> $code', (c) => {
    const ws = makeWorkspace(['vm-media']);
    try {
      c.breakIt(ws);
      const dist = ws.path('packages/vm-media/dist');
      const r = homelab(ws.root, ...command, '--json');
      expect(r.stdout + r.stderr).not.toMatch(STACK_TRACE);
      expect(r.stderr).not.toMatch(/TypeError|ReferenceError/);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as { findings: { code: string; path: string; message: string }[] };
      const finding = doc.findings.find((f) => f.code === c.code);
      expect(finding, JSON.stringify(doc.findings)).toBeDefined();
      expect(finding!.path).toContain(c.path);
      expect(finding!.message).toMatch(c.says);
      expect(snapshotDir(dist)).toEqual({});
    } finally {
      ws.remove();
    }
  });
});
