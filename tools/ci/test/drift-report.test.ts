import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driftReport, parseDriftOutput } from '../src/drift-report.js';

// The fixtures have the shape `homelab drift --json` prints (branch drift: printFindings with the
// drift items' host, what, expected and actual kept on each finding, and `hosts`).
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'drift', name), 'utf8');

describe('reading homelab drift --json', () => {
  it('takes host, what, expected and actual from each finding', () => {
    const out = parseDriftOutput(fixture('drifted.json'));
    expect(out.findings[0]).toEqual({ host: 'vm-media', what: 'containers/jellyfin', expected: 'running', actual: 'exited' });
    expect(out.findings).toHaveLength(3);
    expect(out.unread).toEqual([]);
  });

  it('names the hosts it could not read', () => {
    expect(parseDriftOutput(fixture('unreachable.json')).unread).toEqual([{ host: 'vm-games', message: '[ssh-connect] cannot connect to 192.168.0.23:22: timed out' }]);
  });

  it('keeps a finding of another kind by its path, reads a bare list, and refuses anything else', () => {
    expect(parseDriftOutput('{"findings":[{"code":"x-warning","severity":"warning","path":"vm-apps/files","message":"m"}]}').findings).toEqual([{ host: 'vm-apps', what: 'x-warning: m', expected: '', actual: '' }]);
    expect(parseDriftOutput('[{"host":"h","what":"w","expected":1,"actual":2}]').findings).toHaveLength(1);
    expect(parseDriftOutput('')).toEqual({ findings: [], unread: [] });
    expect(() => parseDriftOutput('{"hosts": 1}')).toThrow(/neither/);
    expect(() => parseDriftOutput('[{"what": "x"}]')).toThrow(/neither host and what nor a path/);
  });
});

describe('the drift report', () => {
  it('exit 0: a clean summary, nobody notified', () => {
    expect(driftReport(0, { findings: [], unread: [] })).toEqual({ summary: '## Drift\n\nEvery host matches what the code renders.\n', events: [] });
  });

  it('exit 1: a table of findings and one notification per drifted host', () => {
    const r = driftReport(1, parseDriftOutput(fixture('drifted.json')), { runUrl: 'https://run', commit: 'abc' });
    expect(r.summary).toContain('2 host(s) differ');
    expect(r.summary).toContain('| `pve` | guests/111/memory | 512 | 1024 |');
    expect(r.events.map((e) => [e.kind, e.host])).toEqual([
      ['drift', 'vm-media'],
      ['drift', 'pve'],
    ]);
    expect(r.events[0]!.detail).toBe('containers/jellyfin: expected running, found exited\nfiles/compose.yaml: expected sha256:aaa, found sha256:bbb');
    expect(r.events[0]!.runUrl).toBe('https://run');
  });

  it('exit 1 without findings is a broken check, not a clean lab', () => {
    expect(() => driftReport(1, { findings: [], unread: [] })).toThrow(/no findings/);
  });

  it('exit 2: each host that could not be read is reported and sent', () => {
    const r = driftReport(2, parseDriftOutput(fixture('unreachable.json')));
    expect(r.summary).toContain('- `vm-games`: [ssh-connect] cannot connect to 192.168.0.23:22: timed out');
    expect(r.events).toEqual([{ kind: 'drift-error', host: 'vm-games', detail: '[ssh-connect] cannot connect to 192.168.0.23:22: timed out' }]);
  });

  it('exit 2 with no JSON (a usage error): the end of stderr is what is sent', () => {
    const r = driftReport(2, parseDriftOutput(''), { stderr: 'loading...\nusage: homelab drift [host...]\n' });
    expect(r.events).toEqual([{ kind: 'drift-error', host: 'lab', detail: 'loading...\nusage: homelab drift [host...]' }]);
  });

  it('keeps table cells on one line and pipes escaped', () => {
    const r = driftReport(1, { findings: [{ host: 'h', what: 'a|b', expected: { x: [1, 2] }, actual: 'line\nbreak' }], unread: [] });
    expect(r.summary).toContain('| `h` | a\\|b | {"x":[1,2]} | line break |');
  });
});
