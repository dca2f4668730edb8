import type { Finding } from '@homelab/kit';
import { painter } from './colour.js';

export function summary(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

/** A line for one finding, or for the first of a collapsed group (`more` others of its code). */
export interface FindingLine {
  readonly finding: Finding;
  readonly more: number;
}

/**
 * Errors first, then warnings, each in the order found. Unless verbose, the warnings of one code
 * collapse into their first one with a count, so that a new warning is not lost among old ones.
 */
export function findingLines(findings: readonly Finding[], verbose: boolean): FindingLine[] {
  const errors = findings.filter((f) => f.severity === 'error').map((finding) => ({ finding, more: 0 }));
  const warnings = findings.filter((f) => f.severity !== 'error');
  if (verbose) return [...errors, ...warnings.map((finding) => ({ finding, more: 0 }))];
  const byCode = new Map<string, { finding: Finding; more: number }>();
  for (const finding of warnings) {
    const seen = byCode.get(finding.code);
    if (seen) seen.more++;
    else byCode.set(finding.code, { finding, more: 0 });
  }
  return [...errors, ...byCode.values()];
}

/** A command's answer: with --json one document `{ ok, ...data }` on stdout and nothing else there; else the text. */
export function reply(json: boolean, ok: boolean, data: Record<string, unknown>, text: string): void {
  process.stdout.write(json ? `${JSON.stringify({ ok, ...data }, null, 2)}\n` : text);
}

/** Findings for a person (one readable list on stdout) or as one JSON document (always every finding). */
export function printFindings(findings: readonly Finding[], json: boolean, extra: Record<string, unknown> = {}, verbose = false): void {
  const counts = summary(findings);
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: counts.errors === 0, ...counts, findings, ...extra }, null, 2)}\n`);
    return;
  }
  const paint = painter(process.stdout);
  for (const { finding: f, more } of findingLines(findings, verbose)) {
    const severity = f.severity === 'error' ? paint(['bold', 'red'], 'error') : paint('yellow', f.severity);
    const others = more > 0 ? paint('dim', `  (and ${more} more: use --verbose)`) : '';
    process.stdout.write(`${severity}  ${f.path}  ${paint('cyan', `[${f.code}]`)}${others}\n  ${f.message}\n`);
  }
  const tally = `${counts.errors} error(s), ${counts.warnings} warning(s)`;
  process.stdout.write(`${counts.errors > 0 ? paint(['bold', 'red'], tally) : tally}\n`);
}
