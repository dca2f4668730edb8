/** A finding: what is wrong, where (host/service/field), and what to do. */
export type Severity = 'error' | 'warning';

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  /** host/service/field, e.g. vm-media/sonarr/ports[0]. */
  readonly path: string;
  readonly message: string;
}

/** Collects every finding of a run; nothing throws for a user mistake. */
export class Findings {
  readonly list: Finding[] = [];

  error(code: string, path: string, message: string): void {
    this.list.push({ code, severity: 'error', path, message });
  }

  warning(code: string, path: string, message: string): void {
    this.list.push({ code, severity: 'warning', path, message });
  }

  get errors(): Finding[] {
    return this.list.filter((f) => f.severity === 'error');
  }

  get warnings(): Finding[] {
    return this.list.filter((f) => f.severity === 'warning');
  }
}

/** Stable order: by path, then code, so output and golden files do not shuffle. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => a.path.localeCompare(b.path) || a.code.localeCompare(b.code) || a.message.localeCompare(b.message),
  );
}

export function formatFinding(f: Finding): string {
  return `${f.severity}  ${f.path}  [${f.code}]\n  ${f.message}`;
}

/** Raised for a mistake the user must fix before any finding can be computed (e.g. a host that does not load). */
export class LabError extends Error {
  constructor(
    readonly code: string,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }

  toFinding(): Finding {
    return { code: this.code, severity: 'error', path: this.path, message: this.message };
  }
}
