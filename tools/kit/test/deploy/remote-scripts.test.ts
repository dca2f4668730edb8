import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { acquireLock, previousRelease, pruneScript, readRemoteFiles, readRemoteState, recordScript, remoteLayout, resolveTarget, switchScript, uploadScript, wireText, type RemoteLayout } from '../../src/internal.js';
import { localShell } from './local-shell.js';

// The scripts deploy sends to a host, run for real against a local sh in a temporary root.
const root = mkdtempSync(join(tmpdir(), 'homelab-remote-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const shells: ReturnType<typeof localShell>[] = [];
/** A generous bound for anything that waits on another process (HOMELAB_TEST_WAIT_SECONDS). */
const WAIT_SECONDS = Number(process.env.HOMELAB_TEST_WAIT_SECONDS ?? 60);
afterEach(async () => {
  for (const s of shells.splice(0)) await s.close();
});

function setup(name: string): { layout: RemoteLayout; shell: ReturnType<typeof localShell> } {
  const t = resolveTarget(name, '127.0.0.1', { releaseRoot: root }, 'ssh', {});
  const shell = localShell();
  shells.push(shell);
  return { layout: remoteLayout(t, name), shell };
}

const upload = (files: Record<string, string>, secrets: Record<string, string> = {}) => ({
  files: new Map(Object.entries(files)),
  secrets: new Map(Object.entries(secrets).map(([k, v]) => [k, Buffer.from(v)])),
});

describe('upload', () => {
  it('writes the release exactly, secrets 0600 in a 0700 folder, then renames it into releases/<id>', async () => {
    const { layout, shell } = setup('h-upload');
    const content = "name: x\nservices: {}\n# 'quotes' $HOME `ticks`\n";
    await shell.check('upload', uploadScript(layout, 'aaaa', upload({ 'compose.yaml': content, 'prometheus/prometheus.yml': 'a: 1\n' }, { token: 's3cr3t\n' })));
    const dir = layout.release('aaaa');
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(content);
    expect(readFileSync(join(dir, 'prometheus', 'prometheus.yml'), 'utf8')).toBe('a: 1\n');
    expect(readFileSync(join(dir, 'secrets', 'token'), 'utf8')).toBe('s3cr3t\n');
    expect((statSync(join(dir, 'secrets', 'token')).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(join(dir, 'secrets')).mode & 0o777).toString(8)).toBe('700');
    expect(readdirSync(layout.releases)).toEqual(['aaaa']);
  });

  it('gives each compose secret file its reader as owner, 0400, and leaves the rest root\'s 0600', async () => {
    const { layout, shell } = setup('h-owners');
    const secretOwners = new Map([['app_key', { uid: 1000, gid: 1001, mode: '0400' as const }], ['shared', { uid: 0, gid: 1000, mode: '0440' as const }]]);
    await shell.check('upload', uploadScript(layout, 'cccc', { ...upload({ 'compose.yaml': 'x\n' }, { app_key: 'k', shared: 's', plain: 'p' }), secretOwners }));
    const mode = (name: string) => statSync(join(layout.release('cccc'), 'secrets', name));
    expect([mode('app_key').uid, mode('app_key').gid, (mode('app_key').mode & 0o777).toString(8)]).toEqual([1000, 1001, '400']);
    expect([mode('shared').uid, mode('shared').gid, (mode('shared').mode & 0o777).toString(8)]).toEqual([0, 1000, '440']);
    expect([mode('plain').uid, (mode('plain').mode & 0o777).toString(8)]).toEqual([0, '600']);
  });

  it('cut anywhere in the middle, runs none of it: no staging files, no release', () => {
    const { layout } = setup('h-cut');
    const wire = wireText(uploadScript(layout, 'bbbb', upload({ 'compose.yaml': 'x'.repeat(3000) }, { token: 'v' })), '__HL_END_test');
    for (const cut of [10, 200, Math.floor(wire.length / 2), wire.length - 120]) {
      // What sh reads before the connection drops: the step, truncated, then end of input.
      const r = spawnSync('sh', ['-s'], { input: wire.slice(0, cut), encoding: 'utf8' });
      expect(r.stdout, `cut at ${cut}`).not.toContain('__HL_END_test 0');
      expect(existsSync(layout.dir) ? readdirSync(layout.dir) : [], `cut at ${cut}`).toEqual([]);
    }
    expect(spawnSync('sh', ['-s'], { input: wire, encoding: 'utf8' }).stdout).toContain('__HL_END_test 0');
    expect(readdirSync(layout.releases)).toEqual(['bbbb']);
  });
});

describe('switch, record, prune, state', () => {
  it('points current at a release by rename, keeps the newest N and the protected ones, reads it all back in one go', async () => {
    const { layout, shell } = setup('h-state');
    for (const id of ['r1', 'r2', 'r3', 'r4']) {
      await shell.check('upload', uploadScript(layout, id, upload({ 'release.json': JSON.stringify({ id }) })));
      utimesSync(layout.release(id), new Date(), new Date(Date.now() - 1000 * (10 - Number(id[1]))));
    }
    await shell.check('switch', switchScript(layout, 'r2'));
    expect(lstatSync(layout.current).isSymbolicLink()).toBe(true);
    expect(readlinkSync(layout.current)).toBe('releases/r2');
    await shell.check('switch', switchScript(layout, 'r3'));
    expect(readlinkSync(layout.current)).toBe('releases/r3');
    for (const [release, result] of [['r2', 'ok'], ['r3', 'ok']] as const) {
      await shell.check('record', recordScript(layout, { by: 'me', commit: 'c', at: 't', action: 'deploy', release, result }));
    }
    const state = await readRemoteState(shell, layout);
    expect(state.current).toBe('r3');
    expect(state.info).toEqual({ id: 'r3' });
    expect(state.releases[0]).toBe('r3');
    expect(state.history.map((h) => h.release)).toEqual(['r2', 'r3']);
    expect(previousRelease(state)).toBe('r2');
    await shell.check('prune', pruneScript(layout, 1, ['r3', 'r1']));
    expect(readdirSync(layout.releases).sort()).toEqual(['r1', 'r3']);
    const files = await readRemoteFiles(shell, layout.current, ['release.json', 'missing.txt']);
    expect([...files]).toEqual([['release.json', JSON.stringify({ id: 'r3' })]]);
  });

  it('reads an empty host as no release', async () => {
    const { layout, shell } = setup('h-empty');
    expect(await readRemoteState(shell, layout)).toEqual({ releases: [], history: [] });
  });
});

describe('the deploy lock (flock held by the remote shell)', () => {
  const info = { action: 'deploy', by: 'alice@laptop', commit: 'abc', since: '2026-01-01T00:00:00Z' };

  it('refuses a second run while the first holds it, naming the holder', async () => {
    const a = setup('h-lock');
    const b = setup('h-lock');
    const held = await acquireLock(a.shell, a.layout, 'h-lock', info, 0, () => {});
    expect(held.stale).toBeUndefined();
    await expect(acquireLock(b.shell, b.layout, 'h-lock', { ...info, by: 'bob' }, 0, () => {})).rejects.toThrow('h-lock is locked by another deploy: deploy by alice@laptop (commit abc) since 2026-01-01T00:00:00Z');
    await held.release();
    const again = await acquireLock(b.shell, b.layout, 'h-lock', { ...info, by: 'bob' }, 0, () => {});
    expect(again.stale).toBeUndefined();
    await again.release();
  });

  it('waits for it with a timeout, saying for whom', async () => {
    const a = setup('h-wait');
    const b = setup('h-wait');
    const held = await acquireLock(a.shell, a.layout, 'h-wait', info, 0, () => {});
    const waits: string[] = [];
    // The holder lets go once the second run says it waits: no timer races the machine's speed.
    const got = await acquireLock(b.shell, b.layout, 'h-wait', info, WAIT_SECONDS, (holder) => {
      waits.push(holder);
      void held.release();
    });
    expect(got.waited).toBe(true);
    expect(waits).toEqual(['deploy by alice@laptop (commit abc) since 2026-01-01T00:00:00Z']);
    await got.release();
  });

  it('detects the stale lock of a run that died (its shell killed) and takes it over', async () => {
    const a = setup('h-stale');
    await acquireLock(a.shell, a.layout, 'h-stale', info, 0, () => {});
    await a.shell.killed();
    const b = setup('h-stale');
    // The kernel drops the lock with the shell's last file descriptor: bounded by a generous wait, not a timer.
    const got = await acquireLock(b.shell, b.layout, 'h-stale', { ...info, by: 'bob' }, WAIT_SECONDS, () => {});
    expect(got.stale).toBe('deploy by alice@laptop (commit abc) since 2026-01-01T00:00:00Z');
    await got.release();
  });

  it('a release folder that cannot be made is said as it is, and the shell lives on', async () => {
    const t = resolveTarget('h-unwritable', '127.0.0.1', { releaseRoot: '/proc/no-such-folder' }, 'ssh', {});
    const shell = localShell();
    shells.push(shell);
    await expect(acquireLock(shell, remoteLayout(t, 'h-unwritable'), 'h-unwritable', info, 0, () => {})).rejects.toThrow(/\/proc\/no-such-folder\/h-unwritable on h-unwritable cannot be written: mkdir: .*Nothing was changed/s);
    expect((await shell.run('echo alive')).stdout.trim()).toBe('alive');
  });

  it('records the holding shell and the boot id beside who holds it', async () => {
    const a = setup('h-info');
    const held = await acquireLock(a.shell, a.layout, 'h-info', { ...info, pid: 4242, client: 'laptop' }, 0, () => {});
    const written = JSON.parse(readFileSync(a.layout.lockInfo, 'utf8'));
    expect(written).toMatchObject({ ...info, pid: 4242, client: 'laptop', boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() });
    expect(written.shell).toBeGreaterThan(1);
    await held.release();
  });

  it('takes over a lock whose holder process on this machine is gone: its shell on the host is stopped', async () => {
    const dead = spawnSync('true').pid;
    const a = setup('h-vanished');
    await acquireLock(a.shell, a.layout, 'h-vanished', { ...info, pid: dead, client: 'laptop' }, 0, () => {});
    const b = setup('h-vanished');
    const got = await acquireLock(b.shell, b.layout, 'h-vanished', { ...info, by: 'bob', pid: process.pid, client: 'laptop' }, 0, () => {});
    expect(got.takenOver).toBe(`deploy by alice@laptop (commit abc) since 2026-01-01T00:00:00Z; its process ${dead} on laptop is gone`);
    await a.shell.killed();
    await got.release();
  });

  it('does not take over a lock whose holder process is alive, nor one held from another machine', async () => {
    const a = setup('h-alive');
    const held = await acquireLock(a.shell, a.layout, 'h-alive', { ...info, pid: process.pid, client: 'laptop' }, 0, () => {});
    const b = setup('h-alive');
    await expect(acquireLock(b.shell, b.layout, 'h-alive', { ...info, pid: process.pid, client: 'laptop' }, 0, () => {})).rejects.toThrow('is locked by another deploy');
    await expect(acquireLock(b.shell, b.layout, 'h-alive', { ...info, pid: process.pid, client: 'desktop' }, 0, () => {})).rejects.toThrow('is locked by another deploy');
    await held.release();
  });
});

mkdirSync(root, { recursive: true });
