import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { labReference } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { cliReference } from '../help.js';
import { reply } from '../output.js';
import { JSON_OPTION } from './common-options.js';

export const docs = defineCommand({
  summary: 'write docs/lab.md (the lab reference, from the model) and docs/cli.md (this command\'s reference, from its command table)',
  options: { check: { type: 'boolean', description: 'write nothing; exit 1 when docs/lab.md or docs/cli.md differs from what they are generated from' }, json: JSON_OPTION },
  examples: ['homelab docs', 'homelab docs --check'],
  async run(loaded, _positionals, values) {
    // The table imports this command: read it when the command runs.
    const { commands } = await import('./index.js');
    const pages = [
      { file: join(loaded.root, 'docs', 'lab.md'), text: labReference(loaded.lab) },
      { file: join(loaded.root, 'docs', 'cli.md'), text: cliReference(commands) },
    ];
    if (values.check) {
      const stale = pages.filter((p) => (existsSync(p.file) ? readFileSync(p.file, 'utf8') : '') !== p.text).map((p) => relative(loaded.root, p.file));
      const fresh = stale.length === 0;
      if (values.json) reply(true, fresh, { files: pages.map((p) => p.file), stale: !fresh, staleFiles: stale }, '');
      else if (!fresh) process.stderr.write(`${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} stale: run pnpm homelab docs and commit ${stale.length > 1 ? 'them' : 'it'}.\n`);
      return fresh ? 0 : 1;
    }
    // A new lab has no docs/ yet: the references are its first pages.
    for (const p of pages) {
      mkdirSync(dirname(p.file), { recursive: true });
      writeFileSync(p.file, p.text);
    }
    reply(values.json, true, { files: pages.map((p) => p.file), written: true }, pages.map((p) => `wrote ${p.file}\n`).join(''));
    return 0;
  },
});
