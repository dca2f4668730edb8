import type { NotificationEvent } from './notify.js';

/** One finding of `homelab drift --json`: what on a host differs from what the code renders. */
export interface DriftFinding {
  readonly host: string;
  readonly what: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** `homelab drift` exits 0 when every host matches, 1 when something drifted, 2 when it could not check. */
export type DriftExit = 0 | 1 | 2;

export interface DriftReport {
  readonly summary: string;
  readonly events: NotificationEvent[];
}

/** Reads the command's stdout: an array of findings, or an object holding them under `findings`. */
export function parseDriftFindings(stdout: string): DriftFinding[] {
  const text = stdout.trim();
  if (!text) return [];
  const data = JSON.parse(text) as unknown;
  const list = Array.isArray(data) ? data : (data as { findings?: unknown }).findings;
  if (!Array.isArray(list)) throw new Error('homelab drift --json printed neither a list of findings nor { findings: [...] }');
  return list.map((f, i) => {
    const finding = f as Partial<DriftFinding>;
    if (typeof finding.host !== 'string' || typeof finding.what !== 'string') throw new Error(`drift finding ${i} has no host or what`);
    return { host: finding.host, what: finding.what, expected: finding.expected, actual: finding.actual };
  });
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const line = (text ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** The job summary (Markdown) and one notification per drifted host, or one for a check that failed. */
export function driftReport(exit: DriftExit, findings: readonly DriftFinding[], context: { runUrl?: string; commit?: string; stderr?: string } = {}): DriftReport {
  const extra = { ...(context.runUrl ? { runUrl: context.runUrl } : {}), ...(context.commit ? { commit: context.commit } : {}) };
  if (exit === 2) {
    const why = (context.stderr ?? '').trim().split('\n').slice(-5).join('\n') || 'homelab drift exited 2';
    return {
      summary: `## Drift\n\nThe drift check could not run:\n\n\`\`\`\n${why}\n\`\`\`\n`,
      events: [{ kind: 'drift-error', host: 'lab', detail: why, ...extra }],
    };
  }
  if (exit === 0 && findings.length === 0) return { summary: '## Drift\n\nEvery host matches what the code renders.\n', events: [] };
  if (findings.length === 0) throw new Error('homelab drift exited 1 but printed no findings');
  const byHost = new Map<string, DriftFinding[]>();
  for (const f of findings) byHost.set(f.host, [...(byHost.get(f.host) ?? []), f]);
  const lines = ['## Drift', '', `${byHost.size} host(s) differ from what the code renders.`, '', '| host | what | expected | actual |', '|---|---|---|---|'];
  for (const f of findings) lines.push(`| \`${f.host}\` | ${shown(f.what)} | ${shown(f.expected)} | ${shown(f.actual)} |`);
  const events: NotificationEvent[] = [...byHost].map(([host, list]) => ({
    kind: 'drift',
    host,
    detail: list.map((f) => `${f.what}: expected ${shown(f.expected)}, found ${shown(f.actual)}`).join('\n'),
    ...extra,
  }));
  return { summary: `${lines.join('\n')}\n`, events };
}
