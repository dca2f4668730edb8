import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '@homelab/testing';
import { workspaceRoot } from './support.js';

const dir = join(workspaceRoot, '.homelab', 'tools', 'renovate', 'node_modules');
const node = join(dir, '.bin', 'node');
const validator = join(dir, 'renovate', 'dist', 'config-validator.js');

// Renovate's own validator, under the Node 24 it needs, reads the repository's configuration.
describe('renovate-config-validator', () => {
  it('is installed (tools/testing/install-renovate.sh)', () => {
    expect(existsSync(node) && existsSync(validator), 'run tools/testing/install-renovate.sh').toBe(true);
  });

  it('accepts renovate.json with --strict (no migration needed)', () => {
    const r = run(node, [validator, '--strict', join(workspaceRoot, 'renovate.json')], { cwd: workspaceRoot, env: { ...process.env, LOG_LEVEL: 'info' } });
    expect(r.stdout + r.stderr).toContain('Config validated successfully');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('rejects a broken configuration (the check is live)', () => {
    const r = run(node, [validator, '--strict', join(workspaceRoot, 'tools', 'kit', 'test', 'fixtures', 'renovate-broken.json')], { cwd: workspaceRoot });
    expect(r.code).not.toBe(0);
  });
});
