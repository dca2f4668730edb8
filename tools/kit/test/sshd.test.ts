import { describe, expect, it } from 'vitest';
import { renderNode, SSHD_HARDENING } from '../src/internal.js';
import { realLab } from './fixtures.js';

describe('the node\'s sshd drop-in', () => {
  const node = realLab.nodes![0]!;
  const file = renderNode(realLab, node).artifacts.find((a) => a.kind === 'sshd-config')!;

  it('goes to /etc/ssh/sshd_config.d/, sshd restarted when it changes', () => {
    expect(file.install).toEqual({ path: '/etc/ssh/sshd_config.d/homelab.conf', mode: '0644', owner: 'root:root', restart: 'ssh.service' });
  });

  it('says keys only, root by key only, no empty passwords, no X11 or agent forwarding, each with its reason', () => {
    const settings = file.content.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(settings).toEqual(['PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitRootLogin prohibit-password', 'PermitEmptyPasswords no', 'MaxAuthTries 3', 'X11Forwarding no', 'AllowAgentForwarding no']);
    for (const [keyword, , why] of SSHD_HARDENING) expect(file.content).toContain(`# ${why}\n${keyword} `);
    // Secure migration between nodes tunnels over SSH: forwarding of TCP and streams is not turned off.
    expect(file.content).not.toMatch(/AllowTcpForwarding|AllowStreamLocalForwarding|DisableForwarding/);
  });
});
