import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { renderedOfKind } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-smb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// testparm exits 0 even when it skips a parameter it does not know ("Unknown parameter
// encountered" / "Ignoring unknown parameter"), so its stderr is read: every line must be one
// of the lines it always prints. Anything else (unknown or deprecated parameters, bad values) fails.
const ROUTINE = [/^$/, /^Load smb config files from /, /^Loaded services file OK\.$/, /^Weak crypto is allowed/, /^Server role: ROLE_/];

function testparm(file: string) {
  const r = run(requireTool('testparm'), ['-s', file]);
  const unexpected = r.stderr.split('\n').filter((line) => !ROUTINE.some((re) => re.test(line.trim())));
  return { ...r, unexpected };
}

describe('testparm -s', async () => {
  requireTool('testparm');
  const cases = await renderedOfKind('smb');

  it('has smb.conf files to check', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases)('accepts %s with nothing unknown or ignored', (_name, { host, artifact }) => {
    const file = join(dir, `${host.name}.smb.conf`);
    writeFileSync(file, artifact.content);
    const r = testparm(file);
    expect(r.unexpected).toEqual([]);
    expect(r.code).toBe(0);
    // testparm prints the effective configuration: every share made it in.
    for (const share of artifact.content.match(/^\[[^\]]+\]$/gm) ?? []) expect(r.stdout).toContain(share);
  });

  it('flags an unknown parameter (the check is live)', () => {
    const file = join(dir, 'broken.smb.conf');
    writeFileSync(file, '[global]\n\tworkgroup = WORKGROUP\n\tbogus parameter = yes\n');
    const r = testparm(file);
    expect(r.code).toBe(0);
    expect(r.unexpected.join('\n')).toMatch(/Unknown parameter|Ignoring/);
  });
});
