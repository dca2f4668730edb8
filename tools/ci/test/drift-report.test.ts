import { describe, expect, it } from 'vitest';
import { driftReport, parseDriftFindings } from '../src/drift-report.js';

const findings = JSON.stringify([
  { host: 'vm-media', what: 'compose.yaml', expected: 'sha256:aaa', actual: 'sha256:bbb' },
  { host: 'vm-media', what: 'container jellyfin', expected: 'running', actual: 'exited' },
  { host: 'lxc-dns', what: 'AdGuardHome.yaml', expected: 'v0.107.79', actual: 'v0.107.70' },
]);

describe('the drift report', () => {
  it('reads a list of findings, or one under `findings`, and refuses anything else', () => {
    expect(parseDriftFindings(findings)).toHaveLength(3);
    expect(parseDriftFindings(JSON.stringify({ findings: JSON.parse(findings) }))).toHaveLength(3);
    expect(parseDriftFindings('')).toEqual([]);
    expect(() => parseDriftFindings('{"hosts": 1}')).toThrow(/neither/);
    expect(() => parseDriftFindings('[{"what": "x"}]')).toThrow(/no host/);
  });

  it('exit 0: a clean summary, nobody notified', () => {
    expect(driftReport(0, [])).toEqual({ summary: '## Drift\n\nEvery host matches what the code renders.\n', events: [] });
  });

  it('exit 1: a table of findings and one notification per drifted host', () => {
    const r = driftReport(1, parseDriftFindings(findings), { runUrl: 'https://run', commit: 'abc' });
    expect(r.summary).toContain('2 host(s) differ');
    expect(r.summary).toContain('| `lxc-dns` | AdGuardHome.yaml | v0.107.79 | v0.107.70 |');
    expect(r.events.map((e) => [e.kind, e.host])).toEqual([
      ['drift', 'vm-media'],
      ['drift', 'lxc-dns'],
    ]);
    expect(r.events[0]!.detail).toBe('compose.yaml: expected sha256:aaa, found sha256:bbb\ncontainer jellyfin: expected running, found exited');
    expect(r.events[0]!.runUrl).toBe('https://run');
  });

  it('exit 1 without findings is a broken check, not a clean lab', () => {
    expect(() => driftReport(1, [])).toThrow(/no findings/);
  });

  it('exit 2: the check could not run, which is sent too', () => {
    const r = driftReport(2, [], { stderr: 'loading...\nssh: connect to vm-games: timed out\n' });
    expect(r.summary).toContain('could not run');
    expect(r.events).toEqual([{ kind: 'drift-error', host: 'lab', detail: 'loading...\nssh: connect to vm-games: timed out' }]);
  });

  it('keeps table cells on one line and pipes escaped', () => {
    const r = driftReport(1, [{ host: 'h', what: 'a|b', expected: { x: [1, 2] }, actual: 'line\nbreak' }]);
    expect(r.summary).toContain('| `h` | a\\|b | {"x":[1,2]} | line break |');
  });
});
