import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labReference } from '../src/index.js';
import { realLab } from './fixtures.js';
import { workspaceRoot } from './support.js';

describe('docs/lab.md', () => {
  it('is what the model generates now (run `pnpm homelab docs` after a change)', () => {
    expect(readFileSync(join(workspaceRoot, 'docs', 'lab.md'), 'utf8')).toBe(labReference(realLab));
  });

  it('names every host and service', () => {
    const text = labReference(realLab);
    for (const h of realLab.hosts) {
      expect(text).toContain(`| ${h.name} |`);
      for (const s of h.services) expect(text).toContain(`| ${h.name} | ${s.name} |`);
    }
  });
});
