/**
 * The one sticky pull-request comment: the blast radius (which hosts a change reaches and which
 * will deploy) and the rendered diff, cut to what GitHub accepts in a comment body, with a link
 * to the job summary that holds the whole diff.
 */

/** GitHub refuses a comment body longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** Finds this workflow's own comment among a pull request's comments, so each push updates it. */
export const COMMENT_MARKER = '<!-- homelab:pr-comment -->';

/** One row of `homelab affected --json`. */
export interface AffectedHost {
  readonly host: string;
  readonly nx: boolean | null;
  readonly rendered: readonly string[];
  readonly deploy: boolean;
}

export interface AffectedReport {
  readonly base: string;
  readonly hosts: readonly AffectedHost[];
  readonly deploy: readonly string[];
}

export interface CommentInput {
  readonly affected: AffectedReport;
  /** `homelab diff` output (Markdown with ```diff blocks). */
  readonly diff: string;
  /** The run's job summary, which holds the whole diff. */
  readonly summaryUrl: string;
  /** The commit the comment describes. */
  readonly sha?: string;
  readonly limit?: number;
}

function blastRadius(affected: AffectedReport): string {
  const reached = affected.hosts.filter((h) => h.nx || h.rendered.length > 0);
  const lines = [`### Blast radius against \`${affected.base}\``, ''];
  if (reached.length === 0) {
    lines.push('No host is affected: nothing deploys on merge.');
    return lines.join('\n');
  }
  lines.push('| host | Nx: affected | rendered files that change | deploys on merge |', '|---|---|---|---|');
  for (const h of reached) {
    const nx = h.nx === null ? 'n/a' : h.nx ? 'yes' : 'no';
    const files = h.rendered.length ? h.rendered.map((f) => `\`${f}\``).join(', ') : 'none';
    lines.push(`| \`${h.host}\` | ${nx} | ${files} | ${h.deploy ? '**yes**' : 'no'} |`);
  }
  lines.push('', `Deploys on merge, in order: ${affected.deploy.length ? affected.deploy.map((h) => `\`${h}\``).join(' → ') : 'nothing'}`);
  return lines.join('\n');
}

/** True when the text leaves a ``` fence open. */
function insideFence(text: string): boolean {
  return (text.match(/^```/gm) ?? []).length % 2 === 1;
}

/**
 * Cuts the diff at a line boundary so that it fits `room` characters together with the closing
 * fence (when the cut falls inside a code block). Never splits a line, so never a surrogate pair.
 */
function cutDiff(diff: string, room: number): string {
  const lines = diff.split('\n');
  let kept = '';
  for (const line of lines) {
    const next = kept ? `${kept}\n${line}` : line;
    const closing = insideFence(next) ? '\n```' : '';
    if (next.length + closing.length > room) break;
    kept = next;
  }
  return insideFence(kept) ? `${kept}\n\`\`\`` : kept;
}

/** The comment body: marker, blast radius, rendered diff; never longer than `limit` characters. */
export function buildPrComment(input: CommentInput): string {
  const limit = input.limit ?? GITHUB_COMMENT_LIMIT;
  const head = [COMMENT_MARKER, '## homelab: what this pull request changes', '', blastRadius(input.affected), ''].join('\n');
  const footer = `\n---\nThe full rendered diff is in the [job summary](${input.summaryUrl})${input.sha ? ` of ${input.sha.slice(0, 7)}` : ''}. This comment is updated on every push.\n`;
  const diff = input.diff.trimEnd();
  const whole = `${head}\n${diff}\n${footer}`;
  if (whole.length <= limit) return whole;
  const note = (shown: number) =>
    `\n\n> [!NOTE]\n> The diff is cut here: ${shown} of ${diff.length} characters shown, GitHub takes at most ${limit} in a comment. The [job summary](${input.summaryUrl}) has all of it.\n`;
  // The note's length depends on the number in it; reserve room for the largest it can say.
  const reserved = head.length + 1 + note(diff.length).length + footer.length;
  if (reserved > limit) throw new Error(`a comment limit of ${limit} characters leaves no room for the diff`);
  const shown = cutDiff(diff, limit - reserved);
  return `${head}\n${shown}${note(shown.length)}${footer}`;
}
