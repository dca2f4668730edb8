import type { TwinReport } from './probe.js';

/** The closing line `.ci/run` and people read. */
export function closingLine(report: TwinReport): string {
  const passed = report.probes.filter((p) => p.ok).length;
  return `twin: ${report.probes.length} probes, ${passed} passed, ${report.probes.length - passed} failed`;
}

/** Probes per kind: `container 39/39, secret 12/12, ...`. */
export function countsByKind(report: TwinReport): string {
  const kinds = new Map<string, [number, number]>();
  for (const p of report.probes) {
    const [ok, all] = kinds.get(p.kind) ?? [0, 0];
    kinds.set(p.kind, [ok + (p.ok ? 1 : 0), all + 1]);
  }
  return [...kinds].map(([k, [ok, all]]) => `${k} ${ok}/${all}`).join(', ');
}

/** The report for a person: probes grouped by host, failures with their reason, what stood in, the Proxmox calls. */
export function formatReport(report: TwinReport): string {
  const lines: string[] = [...unverifiedLines(report)];
  const hosts = [...new Set(report.probes.map((p) => p.host))];
  for (const host of hosts) {
    lines.push(host);
    for (const p of report.probes.filter((x) => x.host === host)) {
      lines.push(`  ${p.ok ? 'ok  ' : 'FAIL'} [${p.kind}] ${p.name}`);
      if (p.detail) for (const d of p.detail.split('\n')) lines.push(`         ${d}`);
    }
  }
  if (report.notes.length > 0) lines.push('', 'real and stand-in:', ...report.notes.map((n) => `  - ${n}`));
  if (report.proxmoxCalls.length > 0) lines.push('', `Proxmox calls deploy made (${report.proxmoxCalls.length}):`, ...report.proxmoxCalls.map((c) => `  ${c}`));
  lines.push('', ...slowestLines(report), `by kind: ${countsByKind(report)}`, `wall time: ${report.seconds} s`, ...unverifiedLines(report).slice(0, 1), closingLine(report));
  return lines.join('\n');
}

/** An unverified run's mark: a line saying so, then each service and why its facts are not evidence. */
export function unverifiedLines(report: TwinReport): string[] {
  const u = report.unverifiedFacts ?? [];
  if (u.length === 0) return [];
  return [`unverified run: ${u.length} services' stand-ins are built from image facts not verified at their image's pinned digest (docs/images.md)`, ...u.map((x) => `  - ${x}`), ''];
}

/**
 * The slowest checks, where a run's time went (each check's own wall time; checks run side by
 * side, so they overlap and do not add up to the run's).
 */
export function slowestLines(report: TwinReport, count = 10): string[] {
  const timed = report.probes.filter((p) => (p.ms ?? 0) >= 1000).sort((a, b) => b.ms! - a.ms!).slice(0, count);
  if (timed.length === 0) return [];
  return [`slowest checks (wall time each; side by side, they overlap):`, ...timed.map((p) => `  ${String(Math.round(p.ms! / 1000)).padStart(4)} s  ${p.host} [${p.kind}] ${p.name}`), ''];
}
