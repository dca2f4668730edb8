import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '@homelab/testing';
import { extract, versioningOf, type RenovateConfig } from './renovate-model.js';
import { orderings } from './renovate-orderings.js';
import { workspaceRoot } from './support.js';

const dir = join(workspaceRoot, '.homelab', 'tools', 'renovate', 'node_modules');
const node = join(dir, '.bin', 'node');
const validator = join(dir, 'renovate', 'dist', 'config-validator.js');

// Renovate's own validator, under the Node 24 it needs, reads the repository's configuration.
describe('renovate-config-validator', () => {
  it('is installed (tools/testing/install-renovate.sh)', () => {
    expect(existsSync(node) && existsSync(validator), 'run tools/testing/install-renovate.sh').toBe(true);
  });

  it('accepts renovate.json with --strict --no-global (no migration needed)', () => {
    const r = run(node, [validator, '--strict', '--no-global', join(workspaceRoot, 'renovate.json')], { cwd: workspaceRoot, env: { ...process.env, LOG_LEVEL: 'info' } });
    expect(r.stdout + r.stderr).toContain('Config validated successfully');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('rejects a broken configuration (the check is live)', () => {
    const r = run(node, [validator, '--strict', '--no-global', join(workspaceRoot, 'tools', 'kit', 'test', 'fixtures', 'renovate-broken.json')], { cwd: workspaceRoot });
    expect(r.code).not.toBe(0);
  });
});

// The versioning renovate.json gives each fixture dependency, run through Renovate's own regex
// versioning: the tags must order as the unit test's model says (renovate-orderings.ts).
describe("Renovate's own versioning on the fixture lab's tags", () => {
  const config = JSON.parse(readFileSync(join(workspaceRoot, 'renovate.json'), 'utf8')) as RenovateConfig;
  const deps = extract(config, join(workspaceRoot, 'tools', 'kit', 'test', 'fixtures', 'renovate-lab'));
  const versioningModule = join(dir, 'renovate', 'dist', 'modules', 'versioning', 'regex', 'index.js');

  it.each(orderings)('%s', (name, tags) => {
    const dep = deps.find((d) => d.depName === name)!;
    const versioning = versioningOf(config, dep);
    const script = `
      const { api } = await import(${JSON.stringify(pathToFileURL(versioningModule).href)});
      const [spec, current, ...tags] = JSON.parse(process.argv[1]);
      const v = new api(spec.replace(/^regex:/, ''));
      const out = { current: v.isVersion(current), order: tags.slice(1).map((t, i) => v.isGreaterThan(t, tags[i])) };
      console.log(JSON.stringify(out));`;
    const r = run(node, ['--input-type=module', '-e', script, JSON.stringify([versioning, dep.currentValue, ...tags])], { cwd: workspaceRoot });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual({ current: true, order: tags.slice(1).map(() => true) });
  });
});
