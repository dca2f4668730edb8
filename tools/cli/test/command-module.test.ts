import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '@homelab/testing';

// defineCommand and its types live in src/command.ts, which the commands import and which imports
// none of them: no type cycle through commands/index.ts.
describe('src/command.ts', () => {
  it('imports no command, nor the table of commands', () => {
    const source = readFileSync(join(repoRoot, 'tools', 'cli', 'src', 'command.ts'), 'utf8');
    const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
    expect(imports.filter((i) => i.startsWith('.'))).toEqual([]);
  });

  it('is what commands/index.ts takes its Command type from', () => {
    const table = readFileSync(join(repoRoot, 'tools', 'cli', 'src', 'commands', 'index.ts'), 'utf8');
    expect(table).toContain("import type { Command } from '../command.js';");
  });
});
