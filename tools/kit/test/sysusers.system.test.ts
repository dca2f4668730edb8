import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { renderedOfKind } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-sysusers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// systemd-sysusers creates the accounts of each rendered sysusers.d file in an empty root
// (--root), as it would at the container's boot; the ids must come out as the model says.
describe('systemd-sysusers', async () => {
  requireTool('systemd-sysusers');
  const cases = await renderedOfKind('sysusers');

  it('has sysusers files to check', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases)('creates the accounts of %s', (_name, { host, artifact }) => {
    const root = mkdtempSync(join(dir, `${host.name}-`));
    mkdirSync(join(root, 'etc'));
    const file = join(dir, `${host.name}.conf`);
    writeFileSync(file, artifact.content);
    const r = run(requireTool('systemd-sysusers'), [`--root=${root}`, file]);
    // It reports each account it creates on stderr; any other line is a warning about the file.
    expect(r.stderr.split('\n').filter((l) => l && !/^Creating (user|group) /.test(l))).toEqual([]);
    expect(r.code).toBe(0);
    const passwd = readFileSync(join(root, 'etc', 'passwd'), 'utf8');
    const group = readFileSync(join(root, 'etc', 'group'), 'utf8');
    for (const line of artifact.content.split('\n').filter((l) => /^[ug] /.test(l))) {
      const [type, name, id] = line.split(/\s+/) as [string, string, string];
      const [uid, gid] = id.split(':');
      if (type === 'u') expect(passwd).toMatch(new RegExp(`^${name}:x:${uid}:${gid ?? '\\d+'}:`, 'm'));
      else expect(group).toMatch(new RegExp(`^${name}:x:${id}:`, 'm'));
    }
  });

  it('rejects a malformed line (the check is live)', () => {
    const root = mkdtempSync(join(dir, 'broken-'));
    mkdirSync(join(root, 'etc'));
    const file = join(dir, 'broken.conf');
    writeFileSync(file, 'u bad user 1000\n');
    const r = run(requireTool('systemd-sysusers'), [`--root=${root}`, file]);
    expect(r.code !== 0 || r.stderr !== '').toBe(true);
  });
});
