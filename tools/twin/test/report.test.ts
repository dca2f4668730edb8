import { describe, expect, it } from 'vitest';
import { ProbeLog } from '../src/probe.js';
import { formatReport, slowestLines } from '../src/report.js';

describe("the twin's report", () => {
  it('times each check, and lists the slowest (a second or more) first', async () => {
    const log = new ProbeLog();
    await log.check('vm-a', 'container', 'quick', () => undefined);
    const slow = log.check('vm-a', 'tls', 'slow', () => new Promise<string>((done) => setTimeout(() => done('x'), 1100)));
    await log.check('vm-b', 'route', 'fails', () => {
      throw new Error('no');
    });
    await slow;
    expect(log.results.every((r) => typeof r.ms === 'number')).toBe(true);
    const report = { probes: [...log.results, { host: 'vm-c', kind: 'dns' as const, name: 'slower', ok: true, ms: 65_400 }], notes: [], proxmoxCalls: [], seconds: 70 };
    const lines = slowestLines(report);
    expect(lines).toEqual(['slowest checks (wall time each; side by side, they overlap):', '    65 s  vm-c [dns] slower', '     1 s  vm-a [tls] slow', '']);
    expect(formatReport(report)).toContain('65 s  vm-c [dns] slower');
    expect(slowestLines({ ...report, probes: log.results.filter((r) => r.name !== 'slow') })).toEqual([]);
  });
});
