import { renderBoth, renderedDiffMarkdown } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { terminalProgress } from '../progress.js';
import { BASE_OPTION } from './common-options.js';

export const diff = defineCommand({
  summary: 'the rendered diff of every changed file since --base, as Markdown (for a pull request summary)',
  options: { base: BASE_OPTION },
  examples: ['homelab diff --base origin/main > diff.md'],
  async run(loaded, _positionals, values) {
    const base = values.base;
    if (!base) throw new UsageError('--base <ref> is required (e.g. --base origin/main)');
    const progress = await terminalProgress();
    const both = await progress.step(`render the lab at ${base} and now`, () => renderBoth(loaded.root, base));
    process.stdout.write(renderedDiffMarkdown(both.base, both.head, base));
    return 0;
  },
});
