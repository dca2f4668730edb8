/**
 * What `homelab images verify --json` found, for a person: the job summary, and the pull request's
 * own sticky comment for images (a second comment beside the blast radius's, with its own marker),
 * so that a Renovate pull request whose new image breaks a fact names the fact where it is read.
 */
import { GITHUB_COMMENT_LIMIT } from './pr-comment.js';

/** Finds the images comment among a pull request's comments, so each push updates it. */
export const IMAGES_COMMENT_MARKER = '<!-- homelab:images-verify -->';

/** The parts of `homelab images verify --json` the report reads. */
export interface VerifyOutput {
  readonly ok: boolean;
  readonly findings: readonly { readonly code: string; readonly severity: string; readonly path: string; readonly message: string }[];
  readonly services?: readonly { readonly service: string; readonly image?: string; readonly digest?: string; readonly error?: string }[];
}

/** Reads verify's JSON; a file that is not it is an error naming the file (verify crashed, or printed nothing). */
export function parseVerifyOutput(text: string, file: string): VerifyOutput {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not homelab images verify --json output: ${text.trim().split('\n')[0] ?? 'empty'}`);
  }
  const d = doc as Partial<VerifyOutput>;
  if (typeof d.ok !== 'boolean' || !Array.isArray(d.findings)) throw new Error(`${file} is not homelab images verify --json output (no ok and findings)`);
  return d as VerifyOutput;
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report in Markdown: the findings first (each naming the service's fact and the fix), then what was read. */
export function imagesReport(out: VerifyOutput, summaryUrl: string): string {
  const errors = out.findings.filter((f) => f.severity === 'error');
  const services = out.services ?? [];
  const lines = [IMAGES_COMMENT_MARKER, '## homelab: images against their registries', ''];
  if (services.length === 0 && out.findings.length === 0) lines.push('No service\'s image, facts, user, healthcheck or entrypoint changed: nothing to verify.');
  else if (errors.length === 0) lines.push(`Every image read agrees with its service's facts (${services.length} service(s)).`);
  else lines.push(`**${errors.length} fact(s) the image contradicts**: this pull request fails until the facts (or the image) are fixed.`);
  if (out.findings.length > 0) {
    lines.push('', '| | where | finding | what the image says, and the fix |', '|---|---|---|---|');
    for (const f of out.findings) lines.push(`| ${f.severity} | \`${f.path}\` | \`${f.code}\` | ${escapeCell(f.message)} |`);
  }
  if (services.length > 0) {
    lines.push('', '<details><summary>What was read</summary>', '', '| service | image | digest |', '|---|---|---|');
    for (const s of services) lines.push(`| ${s.service} | \`${s.image ?? ''}\` | ${s.digest ? `\`${s.digest}\`` : escapeCell(s.error ?? 'not read')} |`);
    lines.push('', '</details>');
  }
  lines.push('', `[The job's summary](${summaryUrl})`, '');
  const body = lines.join('\n');
  return body.length <= GITHUB_COMMENT_LIMIT ? body : `${body.slice(0, GITHUB_COMMENT_LIMIT - 200)}\n\n… cut to GitHub's limit: [the whole report](${summaryUrl})\n`;
}
