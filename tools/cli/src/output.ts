import { formatFinding, type Finding } from '@homelab/kit';

export function summary(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

/** Findings for a person (stderr for errors matters less than one readable list) or as one JSON document. */
export function printFindings(findings: readonly Finding[], json: boolean, extra: Record<string, unknown> = {}): void {
  const counts = summary(findings);
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: counts.errors === 0, ...counts, findings, ...extra }, null, 2)}\n`);
    return;
  }
  for (const f of findings) process.stdout.write(`${formatFinding(f)}\n`);
  process.stdout.write(`${counts.errors} error(s), ${counts.warnings} warning(s)\n`);
}
