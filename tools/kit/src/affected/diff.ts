import { createTwoFilesPatch } from 'diff';
import { compareRendered, type RenderedLab } from './rendered.js';

/** The unified diff of every rendered file that differs, host by host, as Markdown for a pull request. */
export function renderedDiffMarkdown(base: RenderedLab, head: RenderedLab, ref: string): string {
  const changes = compareRendered(base, head).filter((c) => c.status !== 'same');
  if (changes.length === 0) return `### Rendered files\n\nNo host renders anything different from \`${ref}\`: nothing deploys.\n`;
  const parts = [`### Rendered files that change against \`${ref}\``, '', `Hosts that deploy: ${changes.map((c) => `\`${c.host}\``).join(', ')}`, ''];
  for (const change of changes) {
    parts.push(`#### ${change.host} (${change.status})`, '');
    for (const file of change.files) {
      const before = base.get(change.host)?.get(file) ?? '';
      const after = head.get(change.host)?.get(file) ?? '';
      const patch = createTwoFilesPatch(`a/${change.host}/${file}`, `b/${change.host}/${file}`, before, after, '', '', { context: 3 });
      parts.push('```diff', patch.split('\n').slice(1).join('\n').trimEnd(), '```', '');
    }
  }
  return `${parts.join('\n')}\n`;
}
