import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { expectedHashes, keptReleaseDamage } from '../../src/deploy/release/kept-release.js';
import { NOTHING_CHANGED, readRemoteState, recordScript, remoteLayout, resolveTarget, upScript, writeFilesLines, writePendingScript } from '../../src/internal.js';
import { localShell } from './local-shell.js';

// The convergence scripts deploy sends to a host, run for real against a local sh in a temporary root.
const root = mkdtempSync(join(tmpdir(), 'homelab-converge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const shells: ReturnType<typeof localShell>[] = [];
afterEach(async () => {
  for (const s of shells.splice(0)) await s.close();
});
const shell = () => {
  const s = localShell();
  shells.push(s);
  return s;
};

describe('a kept release checked against what it must hold', () => {
  const up = {
    files: new Map([
      ['compose.yaml', 'services: {}\n'],
      ['conf/app.ini', 'a=1\n'],
      ['filled.conf', 'token=secret\n'],
      ['release.json', '{}\n'],
    ]),
    privateFiles: new Set(['filled.conf']),
    secrets: new Map([['token', Buffer.from('v')]]),
  };
  const expected = expectedHashes(up, ['token']);

  it('finds nothing wrong in a release written whole, then names what was removed or changed, and the repair writes only those', async () => {
    const dir = join(root, 'kept');
    mkdirSync(dir, { recursive: true });
    const sh = shell();
    await sh.check('write', writeFilesLines(dir, up).join('\n'));
    expect(await keptReleaseDamage(sh, dir, expected)).toEqual([]);
    rmSync(join(dir, 'conf', 'app.ini'));
    writeFileSync(join(dir, 'compose.yaml'), 'services: { evil: {} }\n');
    writeFileSync(join(dir, 'filled.conf'), 'other\n'); // holds secrets: only its presence is checked
    rmSync(join(dir, 'secrets', 'token'));
    const damaged = await keptReleaseDamage(sh, dir, expected);
    expect(damaged).toEqual(['compose.yaml', 'conf/app.ini', 'secrets/token']);
    await sh.check('repair', writeFilesLines(dir, up, new Set(damaged)).join('\n'));
    expect(await keptReleaseDamage(sh, dir, expected)).toEqual([]);
  });
});

describe('compose up that changes nothing', () => {
  it('says so when it fails and the containers are as they were (no compose command)', async () => {
    const t = resolveTarget('h', '127.0.0.1', { releaseRoot: root }, 'ssh', {}, { compose: 'no-such-compose-command', docker: 'true' });
    const r = await shell().run(upScript(t, remoteLayout(t, 'h'), 'p', ['compose.yaml'], []));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(NOTHING_CHANGED);
  });

  it('does not when the containers changed while it failed', async () => {
    const fake = join(root, 'fake-docker');
    // Each listing answers another container id: something changed.
    writeFileSync(fake, `#!/bin/sh\nn=$(cat ${root}/n 2>/dev/null || echo 0); echo $((n+1)) > ${root}/n; echo "c$n"\n`);
    chmodSync(fake, 0o755);
    const t = resolveTarget('h', '127.0.0.1', { releaseRoot: root }, 'ssh', {}, { compose: 'false', docker: fake });
    const r = await shell().run(upScript(t, remoteLayout(t, 'h'), 'p', ['compose.yaml'], []));
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toContain(NOTHING_CHANGED);
  });
});

describe('the pending-switch marker', () => {
  it('is read with the state, and the record script does not remove it by itself', async () => {
    const t = resolveTarget('hp', '127.0.0.1', { releaseRoot: root }, 'ssh', {});
    const layout = remoteLayout(t, 'hp');
    const sh = shell();
    mkdirSync(layout.dir, { recursive: true });
    const pending = { action: 'deploy' as const, release: 'r2', previous: 'r1', by: 'a', since: 't' };
    await sh.check('mark', writePendingScript(layout, pending));
    await sh.check('record', recordScript(layout, { release: 'r1', result: 'ok' }));
    expect((await readRemoteState(sh, layout)).pending).toEqual(pending);
  });
});
