import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { labReference } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { reply } from '../output.js';
import { JSON_OPTION } from './common-options.js';

export const docs = defineCommand({
  summary: 'write docs/lab.md, the lab reference generated from the model',
  options: { check: { type: 'boolean', description: 'write nothing; exit 1 when docs/lab.md differs from the model' }, json: JSON_OPTION },
  examples: ['homelab docs', 'homelab docs --check'],
  async run(loaded, _positionals, values) {
    const file = join(loaded.root, 'docs', 'lab.md');
    const text = labReference(loaded.lab);
    if (values.check) {
      const { readFileSync, existsSync } = await import('node:fs');
      const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
      const fresh = current === text;
      if (values.json) reply(true, fresh, { file, stale: !fresh }, '');
      else if (!fresh) process.stderr.write('docs/lab.md is stale: run pnpm homelab docs and commit it.\n');
      return fresh ? 0 : 1;
    }
    // A new lab has no docs/ yet: the reference is its first page.
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    reply(values.json, true, { file, written: true }, `wrote ${file}\n`);
    return 0;
  },
});
