import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from './support.js';

// The house reads one way: facts -> model (resolved) -> findings -> render. A value the model,
// the rules or the inventory need is a model fact, computed in model/, never a helper of render/.
const src = join(workspaceRoot, 'tools', 'kit', 'src');

// Rules that still check a rendered file as its tool reads it (re-rendering text): to move onto
// resolved models. Shrink this list; never grow it.
const RE_RENDERING = [
  'validate/index.ts -> render/compose.ts',
  'validate/rules/kubernetes.ts -> render/kubernetes.ts',
  'validate/rules/pve-firewall.ts -> render/pve-firewall.ts',
  'validate/rules/pve-ha-files.ts -> render/pve-ha.ts',
  'validate/rules/pve-lxc.ts -> render/pve-lxc.ts',
];

// Outside deploy/, only these reach deploy/, and only through its barrel (deploy/index.ts): the
// kit's entry points, and drift/, restore/ and operate/ (ps, logs, exec, restart), which open the
// same sessions a deploy does.
// Anything else a deploy shares (quoting, the remote shell, DeployError, Progress) lives in
// shell/ or common/.
const DEPLOY_IMPORTERS = ['index.ts', 'internal.ts', 'drift/', 'restore/', 'operate/'];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** `from -> to` for every relative import of a file under `folders` (folders or single files), paths relative to src/. */
function importsInto(root: string, folders: readonly string[], into: string): string[] {
  const found: string[] = [];
  for (const folder of folders) {
    for (const file of folder.endsWith('.ts') ? [join(root, folder)] : filesUnder(join(root, folder))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:import|export)[^;]*?from\s+'(\.[^']+)'/g)) {
        const target = relative(root, resolve(dirname(file), m[1]!)).replace(/\.js$/, '.ts');
        if (target.startsWith(`${into}/`)) found.push(`${relative(root, file)} -> ${target}`);
      }
    }
  }
  return found.sort();
}

describe('layering of the kit', () => {
  it('model/ and inventory/ import nothing from render/', () => {
    expect(importsInto(src, ['model', 'inventory'], 'render')).toEqual([]);
  });

  it('render/ imports nothing from validate/ (what both read, compose\'s value formats, is in common/)', () => {
    expect(importsInto(src, ['render'], 'validate')).toEqual([]);
  });

  it('validate/ imports from render/ only in the rules still listed as re-rendering', () => {
    expect(importsInto(src, ['validate'], 'render')).toEqual(RE_RENDERING);
  });

  it('nothing outside deploy/ imports from deploy/ but the entry points, drift/, restore/ and operate/, through its barrel', () => {
    const outside = readdirSync(src, { withFileTypes: true })
      .filter((e) => e.name !== 'deploy' && (e.isDirectory() || e.name.endsWith('.ts')))
      .map((e) => e.name);
    const found = importsInto(src, outside, 'deploy');
    const stray = found.filter((line) => {
      const [from, to] = line.split(' -> ') as [string, string];
      return to !== 'deploy/index.ts' || !DEPLOY_IMPORTERS.some((allowed) => from === allowed || from.startsWith(allowed));
    });
    expect(stray).toEqual([]);
    expect(found.length).toBeGreaterThan(0);
  });
});
