import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs of the twin's stand-ins, without types
import { show } from '../bin/systemctl-show.mjs';

const dir = mkdtempSync(join(tmpdir(), 'show-'));
const started = join(dir, 'a.pid');
writeFileSync(started, '1');
utimesSync(started, 1765101600, 1765101600);
const known = (u: string) => (u === 'a.service' ? { path: '/lib/systemd/system/a.service', active: true, since: started, enabled: true } : u === 'b.service' ? { path: '/etc/systemd/system/b.service', active: false, enabled: false } : {});

describe("the twin's systemctl show", () => {
  it('answers as systemd 252 does: one block per unit, only the properties asked, unix timestamps', () => {
    expect(show(['--timestamp=unix', '-p', 'Id', '-p', 'LoadState,ActiveState', '--property=SubState', '-p', 'ActiveEnterTimestamp', 'a.service', 'b', 'c.service'], known)).toEqual({
      code: 0,
      stdout: 'Id=a.service\nLoadState=loaded\nActiveState=active\nSubState=running\nActiveEnterTimestamp=@1765101600\n\nId=b.service\nLoadState=loaded\nActiveState=inactive\nSubState=dead\nActiveEnterTimestamp=\n\nId=c.service\nLoadState=not-found\nActiveState=inactive\nSubState=dead\nActiveEnterTimestamp=\n',
    });
  });

  it('refuses what systemd refuses', () => {
    expect(show(['--timestamp=epoch', 'a.service'], known)).toMatchObject({ code: 1, stderr: 'Invalid value: epoch.\n' });
    expect(show(['a.service', '-p'], known)).toMatchObject({ code: 1 });
  });
});
