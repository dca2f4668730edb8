import type { NotificationEvent } from './notify.js';

/** One finding of `homelab drift --json`: what on a host differs from what the code renders. */
export interface DriftFinding {
  readonly host: string;
  readonly what: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** A host `homelab drift` could not read (unreachable, refused): why. */
export interface UnreadHost {
  readonly host: string;
  readonly message: string;
}

export interface DriftOutput {
  readonly findings: DriftFinding[];
  readonly unread: UnreadHost[];
}

/** `homelab drift` exits 0 when every host matches, 1 when something drifted, 2 when it could not check. */
export type DriftExit = 0 | 1 | 2;

export interface DriftReport {
  readonly summary: string;
  readonly events: NotificationEvent[];
}

interface RawFinding {
  readonly host?: unknown;
  readonly what?: unknown;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly path?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
}

/**
 * Reads the command's stdout: `{ findings, hosts }` as `homelab drift --json` prints it (each
 * drift finding carries host, what, expected, actual next to code, path and message; a host it
 * could not read is `{ host, error: { code, message } }` in `hosts`), or a bare list of findings.
 * A finding of another kind (a warning with only a path) is kept with its message as `what`.
 */
export function parseDriftOutput(stdout: string): DriftOutput {
  const text = stdout.trim();
  if (!text) return { findings: [], unread: [] };
  const data = JSON.parse(text) as unknown;
  const list = Array.isArray(data) ? data : (data as { findings?: unknown }).findings;
  if (!Array.isArray(list)) throw new Error('homelab drift --json printed neither a list of findings nor { findings: [...] }');
  const findings = (list as RawFinding[]).map((f, i) => {
    if (typeof f.host === 'string' && typeof f.what === 'string') return { host: f.host, what: f.what, expected: f.expected, actual: f.actual };
    if (typeof f.path === 'string') return { host: f.path.split('/')[0]!, what: `${String(f.code ?? 'finding')}: ${String(f.message ?? '')}`, expected: '', actual: '' };
    throw new Error(`drift finding ${i} has neither host and what nor a path`);
  });
  const hosts = Array.isArray(data) ? [] : ((data as { hosts?: unknown }).hosts ?? []);
  const unread = (Array.isArray(hosts) ? hosts : [])
    .filter((h): h is { host: string; error: { code?: string; message?: string } } => typeof h === 'object' && h !== null && 'error' in h)
    .map((h) => ({ host: h.host, message: `${h.error.code ? `[${h.error.code}] ` : ''}${h.error.message ?? 'could not be read'}` }));
  return { findings, unread };
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const line = (text ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** The job summary (Markdown), one notification per drifted host and one per host that could not be read. */
export function driftReport(exit: DriftExit, output: DriftOutput, context: { runUrl?: string; commit?: string; stderr?: string } = {}): DriftReport {
  const extra = { ...(context.runUrl ? { runUrl: context.runUrl } : {}), ...(context.commit ? { commit: context.commit } : {}) };
  const { findings, unread } = output;
  if (exit === 0 && findings.length === 0) return { summary: '## Drift\n\nEvery host matches what the code renders.\n', events: [] };
  if (exit === 1 && findings.length === 0) throw new Error('homelab drift exited 1 but printed no findings');
  const lines = ['## Drift', ''];
  const events: NotificationEvent[] = [];
  if (exit === 2) {
    const why = unread.length ? '' : (context.stderr ?? '').trim().split('\n').slice(-5).join('\n') || 'homelab drift exited 2';
    lines.push('The check could not read every host:', '');
    for (const u of unread) lines.push(`- \`${u.host}\`: ${shown(u.message)}`);
    if (why) lines.push('```', why, '```');
    lines.push('');
    events.push(...(unread.length ? unread.map((u) => ({ kind: 'drift-error' as const, host: u.host, detail: u.message, ...extra })) : [{ kind: 'drift-error' as const, host: 'lab', detail: why, ...extra }]));
  }
  if (findings.length) {
    const byHost = new Map<string, DriftFinding[]>();
    for (const f of findings) byHost.set(f.host, [...(byHost.get(f.host) ?? []), f]);
    lines.push(`${byHost.size} host(s) differ from what the code renders.`, '', '| host | what | expected | actual |', '|---|---|---|---|');
    for (const f of findings) lines.push(`| \`${f.host}\` | ${shown(f.what)} | ${shown(f.expected)} | ${shown(f.actual)} |`);
    for (const [host, list] of byHost) {
      events.push({ kind: 'drift', host, detail: list.map((f) => `${f.what}: expected ${shown(f.expected)}, found ${shown(f.actual)}`).join('\n'), ...extra });
    }
  } else if (exit !== 2) lines.push('No findings.');
  return { summary: `${lines.join('\n')}\n`, events };
}
