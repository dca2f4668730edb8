import { describe, expect, it } from 'vitest';
import { ProbeLog, type ProbeResult } from '../src/probe.js';
import { formatReport, slowestLines } from '../src/report.js';

describe("the twin's report", () => {
  it('times each check, passed or failed, by its own wall time', async () => {
    const log = new ProbeLog();
    await log.check('vm-a', 'tls', 'waits', () => new Promise<string>((done) => setTimeout(() => done('x'), 1100)));
    await log.check('vm-b', 'route', 'fails', () => {
      throw new Error('no');
    });
    const [waits, fails] = log.results;
    expect(waits!.ms).toBeGreaterThanOrEqual(1100);
    expect(fails!.ok).toBe(false);
    expect(typeof fails!.ms).toBe('number');
  });

  it('names the slowest checks (a second or more) first, before the closing line', () => {
    const probe = (name: string, ms?: number): ProbeResult => ({ host: 'vm-c', kind: 'dns', name, ok: true, ...(ms === undefined ? {} : { ms }) });
    const report = { probes: [probe('quick', 999), probe('slow', 1_400), probe('untimed'), probe('slower', 65_400)], notes: [], proxmoxCalls: [], seconds: 70 };
    expect(slowestLines(report)).toEqual(['slowest checks (wall time each; side by side, they overlap):', '    65 s  vm-c [dns] slower', '     1 s  vm-c [dns] slow', '']);
    expect(formatReport(report)).toMatch(/65 s {2}vm-c \[dns\] slower[\s\S]*twin: 4 probes, 4 passed, 0 failed$/);
    expect(slowestLines({ ...report, probes: [probe('quick', 999), probe('untimed')] })).toEqual([]);
  });
});
