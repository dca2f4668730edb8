import { exec, execFileSync, execSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MINIMAL_DEBIAN } from '../src/unit-tier/minimal-debian.js';
import { refusedPath, refusedProgram, shellPrograms, takeRefusals } from '../src/unit-tier/guard.js';

// These tests make refusals on purpose: each checks the ones it made, and none is left for the setup.
afterEach(() => void takeRefusals());

const refused = (what: RegExp) => new RegExp(`^unit tier: .*${what.source}.*minimal Debian 12`);

describe('the unit tier refuses what a minimal Debian 12 plus Node and pnpm lacks', () => {
  it('a program only a later tier installs, however it is started', () => {
    expect(() => spawnSync('busybox', ['true'])).toThrow(refused(/runs `busybox`/));
    expect(() => spawn('smbclient', ['-L', '127.0.0.1'])).toThrow(refused(/runs `smbclient`/));
    expect(() => execFileSync('/usr/bin/promtool', ['--version'])).toThrow(refused(/runs \/usr\/bin\/promtool/));
    expect(() => execSync('docker info >/dev/null && echo yes')).toThrow(refused(/runs `docker`/));
    expect(() => exec('true; timeout 5 testparm -s')).toThrow(refused(/runs `testparm`/));
    expect(() => spawnSync('sh', ['-c', 'exec sshd -D'])).toThrow(refused(/runs `sshd`/));
    expect(() => spawnSync('zfs list', { shell: true })).toThrow(refused(/runs `zfs`/));
    expect(takeRefusals()).toHaveLength(7);
  });

  it('a system path only a later tier installs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'homelab-guard-'));
    try {
      expect(() => copyFileSync('/bin/busybox', join(dir, 'busybox'))).toThrow(refused(/reads \/bin\/busybox/));
      expect(() => existsSync('/usr/sbin/smbd')).toThrow(refused(/reads \/usr\/sbin\/smbd/));
      expect(() => readFileSync('/etc/samba/smb.conf')).toThrow(refused(/reads \/etc\/samba\/smb.conf/));
      await expect(async () => readFile('/usr/share/prometheus/console_libraries/menu.lib')).rejects.toThrow(refused(/reads \/usr\/share\/prometheus/));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(takeRefusals()).toHaveLength(4);
  });

  it('allows the minimal Debian, Node, pnpm and git, and programs a test makes itself', () => {
    expect(spawnSync('sh', ['-c', 'tar --version >/dev/null && git --version >/dev/null && ip -V >/dev/null'], { encoding: 'utf8' }).status).toBe(0);
    expect(spawnSync(process.execPath, ['-e', '0']).status).toBe(0);
    expect(existsSync('/bin/sh') && readFileSync('/etc/passwd', 'utf8').length > 0).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'homelab-guard-'));
    try {
      writeFileSync(join(dir, 'docker'), '#!/bin/sh\necho stand-in\n', { mode: 0o755 });
      const r = spawnSync('docker', [], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:/usr/bin:/bin` } });
      expect(r.stdout).toBe('stand-in\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(takeRefusals()).toEqual([]);
  });

  it('reads its facts from a real minimal Debian 12, not a guess', () => {
    expect(MINIMAL_DEBIAN).toMatchObject({ release: 'bookworm', read: '2026-12-07' });
    expect(MINIMAL_DEBIAN.packages).toEqual(expect.arrayContaining(['dpkg', 'coreutils', 'iproute2', 'nftables', 'git']));
    expect(MINIMAL_DEBIAN.packages).not.toEqual(expect.arrayContaining(['busybox-static']));
    expect(shellPrograms('A=1 exec env -i timeout 30 busybox wget -q -O - x | grep -c y; cd / && $(smbclient -L)')).toEqual(['busybox', 'grep', 'smbclient']);
    expect(shellPrograms(`awk 'NR==FNR { next }; /x/ { next }' a b > c && 'busybox' true`)).toEqual(['awk', 'busybox']);
    expect(refusedProgram('tsx', `${join(process.cwd(), 'node_modules', '.bin')}:/usr/bin`)).toBeUndefined();
    expect(refusedPath('/usr/lib/x86_64-linux-gnu/libc.so.6')).toBeUndefined();
    expect(refusedProgram(process.execPath)).toBeUndefined();
    expect(refusedPath('/usr/lib/node_modules/pnpm/package.json')).toBeUndefined();
  });
});
