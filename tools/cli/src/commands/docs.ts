import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { labReference } from '@homelab/kit';
import { defineCommand } from '../command.js';

export const docs = defineCommand({
  summary: 'write docs/lab.md, the lab reference generated from the model',
  options: { check: { type: 'boolean', description: 'write nothing; exit 1 when docs/lab.md differs from the model' } },
  examples: ['homelab docs', 'homelab docs --check'],
  async run(loaded, _positionals, values) {
    const file = join(loaded.root, 'docs', 'lab.md');
    const text = labReference(loaded.lab);
    if (values.check) {
      const { readFileSync, existsSync } = await import('node:fs');
      const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
      if (current === text) return 0;
      process.stderr.write('docs/lab.md is stale: run pnpm homelab docs and commit it.\n');
      return 1;
    }
    writeFileSync(file, text);
    process.stdout.write(`wrote ${file}\n`);
    return 0;
  },
});
