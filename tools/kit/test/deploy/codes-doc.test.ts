import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '../support.js';

// Every failure code a deploy can print is explained in docs/deploy.md.
describe('docs/deploy.md', () => {
  it('explains every DeployError code', () => {
    const src = join(workspaceRoot, 'tools', 'kit', 'src');
    const text = readdirSync(src, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(src, f), 'utf8'))
      .join('\n');
    const codes = [...new Set([...text.matchAll(/new DeployError\(\s*'([a-z0-9-]+)'/g)].map((m) => m[1]!))].sort();
    expect(codes.length).toBeGreaterThan(20);
    const doc = readFileSync(join(workspaceRoot, 'docs', 'deploy.md'), 'utf8');
    expect(codes.filter((code) => !doc.includes(`\`${code}\``))).toEqual([]);
  });
});
