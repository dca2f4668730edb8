import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { renderNode } from '../src/internal.js';
import { realLab } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-sshd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A main sshd_config as Debian's: the drop-ins first, then the installer's own permissive lines (a Proxmox node's PermitRootLogin yes). */
function mainConfig(dropins: string, hostKey: string): string {
  return [`Include ${dropins}/*.conf`, `HostKey ${hostKey}`, 'PermitRootLogin yes', 'PasswordAuthentication yes', 'KbdInteractiveAuthentication yes', 'X11Forwarding yes', ''].join('\n');
}

/** sshd -T: the effective settings for a connection (root from an admin address), keyword -> value. */
function effective(config: string): Map<string, string> {
  const r = run(requireTool('sshd'), ['-T', '-f', config, '-C', 'user=root,host=admin,addr=192.168.0.5']);
  expect(r.stderr.trim(), r.stderr).toBe('');
  expect(r.code).toBe(0);
  return new Map(r.stdout.split('\n').filter(Boolean).map((l) => [l.split(' ')[0]!, l.slice(l.indexOf(' ') + 1)]));
}

// The real sshd reads the node's drop-in behind a Debian-like main file: it must parse, and win.
describe('the node\'s sshd drop-in', () => {
  requireTool('sshd');
  const cases = (realLab.nodes ?? []).flatMap((node) => renderNode(realLab, node).artifacts.filter((a) => a.kind === 'sshd-config').map((artifact) => [node.name, { artifact }] as const));
  const hostKey = join(dir, 'host_key');
  run(requireTool('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);

  it('is rendered for the node', () => expect(cases.map(([name]) => name)).toEqual(['pve']));

  it.each(cases)('%s: parses (sshd -t) and overrides the installer\'s permissive lines', (name, { artifact }) => {
    const dropins = join(dir, name);
    mkdirSync(dropins, { recursive: true });
    writeFileSync(join(dropins, 'homelab.conf'), artifact.content);
    const config = join(dir, `${name}.sshd_config`);
    writeFileSync(config, mainConfig(dropins, hostKey));
    const t = run(requireTool('sshd'), ['-t', '-f', config]);
    expect(t.stderr).toBe('');
    expect(t.code).toBe(0);
    const got = effective(config);
    expect(got.get('passwordauthentication')).toBe('no');
    expect(got.get('kbdinteractiveauthentication')).toBe('no');
    // sshd -T prints prohibit-password under its older name.
    expect(got.get('permitrootlogin')).toMatch(/^(prohibit-password|without-password)$/);
    expect(got.get('x11forwarding')).toBe('no');
    expect(got.get('allowagentforwarding')).toBe('no');
    expect(got.get('maxauthtries')).toBe('3');
    // Proxmox migrates over SSH tunnels: forwarding of TCP and streams stays on.
    expect(got.get('allowtcpforwarding')).toBe('yes');
  });

  it('refuses a misspelt keyword (the check is live)', () => {
    const dropins = join(dir, 'broken');
    mkdirSync(dropins, { recursive: true });
    writeFileSync(join(dropins, 'homelab.conf'), 'PasswordAuthentification no\n');
    const config = join(dir, 'broken.sshd_config');
    writeFileSync(config, mainConfig(dropins, hostKey));
    expect(run(requireTool('sshd'), ['-t', '-f', config]).code).not.toBe(0);
  });
});
