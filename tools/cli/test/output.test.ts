import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '@homelab/kit';
import { makeWorkspace, type Workspace } from '@homelab/testing';
import { colourOn } from '../src/colour.js';
import { findingLines } from '../src/output.js';
import { homelabIn } from './run-cli.js';

const w = (code: string, path: string): Finding => ({ code, severity: 'warning', path, message: `${code} at ${path}` });
const e = (code: string, path: string): Finding => ({ code, severity: 'error', path, message: `${code} at ${path}` });

describe('findingLines', () => {
  const findings = [w('digest', 'a/x'), w('mdns', 'shared'), e('bad', 'a/y'), w('digest', 'b/x'), w('digest', 'c/x'), e('bad', 'b/y')];

  it('puts errors first, collapses repeated warnings of one code into the first with a count', () => {
    expect(findingLines(findings, false).map((l) => [l.finding.path, l.more])).toEqual([
      ['a/y', 0],
      ['b/y', 0],
      ['a/x', 2],
      ['shared', 0],
    ]);
  });

  it('lists every finding, errors first, when verbose', () => {
    expect(findingLines(findings, true).map((l) => [l.finding.path, l.more])).toEqual([
      ['a/y', 0],
      ['b/y', 0],
      ['a/x', 0],
      ['shared', 0],
      ['b/x', 0],
      ['c/x', 0],
    ]);
  });
});

describe('colourOn', () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [false, { FORCE_COLOR: '1' }, true],
    [true, { FORCE_COLOR: '0' }, false],
    [false, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
    [true, { TERM: 'dumb' }, false],
  ])('tty %s, env %j -> %s', (isTTY, env, on) => expect(colourOn({ isTTY }, env)).toBe(on));
});

describe('homelab validate output', () => {
  let ws: Workspace;
  beforeAll(() => {
    ws = makeWorkspace(['vm-media']);
  });
  afterAll(() => ws.remove());
  const env = (extra: NodeJS.ProcessEnv) => {
    const copy = { ...process.env, ...extra };
    if (!('NO_COLOR' in extra)) delete copy.NO_COLOR;
    if (!('FORCE_COLOR' in extra)) delete copy.FORCE_COLOR;
    return copy;
  };

  it('collapses repeated warnings unless --verbose; --json always has every finding', () => {
    const short = homelabIn(ws.root, env({}), 'validate');
    const long = homelabIn(ws.root, env({}), 'validate', '--verbose');
    const doc = JSON.parse(homelabIn(ws.root, env({}), 'validate', '--json').stdout) as { findings: Finding[] };
    const digests = doc.findings.filter((f) => f.code === 'image-digest-missing').length;
    expect(digests).toBeGreaterThan(1);
    expect(short.stdout.match(/\[image-digest-missing\]/g)).toHaveLength(1);
    expect(short.stdout).toContain(`[image-digest-missing]  (and ${digests - 1} more: use --verbose)`);
    expect(long.stdout.match(/\[image-digest-missing\]/g)).toHaveLength(digests);
    expect(long.stdout).not.toContain('more: use --verbose');
    expect(short.stdout).toContain(`0 error(s), ${doc.findings.length} warning(s)`);
  });

  it('shows build progress as plain lines on stderr when not at a terminal, keeping --json stdout one document', () => {
    const r = homelabIn(ws.root, env({}), 'build', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^ok {6}validate and render every host \(\d+\.\ds\)$/m);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, written: ['vm-media'] });
  });

  it('colours only when asked or at a terminal, and NO_COLOR wins', () => {
    expect(homelabIn(ws.root, env({}), 'validate').stdout).not.toContain('\u001b[');
    expect(homelabIn(ws.root, env({ FORCE_COLOR: '1' }), 'validate').stdout).toContain('\u001b[33mwarning\u001b[39m');
    expect(homelabIn(ws.root, env({ FORCE_COLOR: '1', NO_COLOR: '1' }), 'validate').stdout).not.toContain('\u001b[');
    expect(homelabIn(ws.root, env({ FORCE_COLOR: '1' }), 'validate', '--json').stdout).not.toContain('\u001b[');
  });
});

describe('formatPlan of a guest that moves between nodes', () => {
  it('names the node and the migration before the commands', async () => {
    const { formatPlan } = await import('../src/deploy-output.js');
    const text = formatPlan({
      host: 'vm-media', target: 'root@192.168.0.22:22', release: 'r2', current: 'r2', changed: false, files: [], secrets: [], history: [],
      services: { create: [], recreate: [], remove: [], unchanged: [] },
      guest: { node: 'pve2', kind: 'qemu', vmid: 122, exists: true, migration: { from: 'pve', to: 'pve2', mode: 'restart' }, steps: ['ssh ... qm migrate 122 pve2 --with-local-disks'], skipped: [] },
    });
    expect(text).toContain('guest definition (qemu 122 on node pve2, exists):\n  migrate from node pve to pve2 (stopped, moved, started)\n  $ ssh ... qm migrate 122 pve2');
  });
});
