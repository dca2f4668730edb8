import { renderBoth, renderedDiffMarkdown } from '@homelab/kit';
import type { Command } from './index.js';
import { UsageError } from '../errors.js';

export const diff: Command = {
  summary: 'the rendered diff of every changed file since --base, as Markdown (for a pull request summary)',
  usage: '--base <ref>',
  options: { base: { type: 'string' } },
  async run(loaded, _positionals, values) {
    const base = values.base as string | undefined;
    if (!base) throw new UsageError('--base <ref> is required (e.g. --base origin/main)');
    const both = await renderBoth(loaded.root, base);
    process.stdout.write(renderedDiffMarkdown(both.base, both.head, base));
    return 0;
  },
};
