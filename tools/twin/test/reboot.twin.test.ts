import { describe, expect, it } from 'vitest';
import { formatReport } from '../src/report.js';
import { runTwin } from '../src/run.js';

/**
 * The VM reboot probe can fail: vm-dev alone (and the node it boots from), one service planted
 * with compose's `restart: "no"`. After the power loss dockerd starts every container but that
 * one, so its reboot probe fails naming the policy, and every other container of the stack (the
 * ones with the lab's `unless-stopped`) passes its own. No LXC, no redeploy, no Proxmox probes.
 */
const began = Date.now();
const report = await runTwin({
  hosts: ['vm-dev'],
  reboot: true,
  redeploy: false,
  proxmoxProbes: false,
  say: (line) => console.log(`twin (reboot) +${Math.round((Date.now() - began) / 1000)}s: ${line}`),
  edit(ws) {
    ws.edit('packages/vm-dev/src/services/code-server.ts', "role: 'app',", "role: 'app',\n  restart: 'no',");
  },
});
console.log(formatReport(report));
const reboots = report.probes.filter((p) => p.host === 'vm-dev' && p.kind === 'reboot');

describe('a VM reboot starts containers by their restart policy only', () => {
  it('the service with restart "no" stays down, and its probe says why', () => {
    const p = reboots.find((r) => r.name.startsWith('code-server '));
    expect(p?.ok).toBe(false);
    expect(p?.detail).toMatch(/restart policy is "no"/);
  });
  it('vm-dev boots again with its datasets, and every other container comes back', () => {
    const others = reboots.filter((r) => !r.name.startsWith('code-server '));
    expect(others.length).toBeGreaterThan(1);
    for (const p of others) expect(p.ok, `${p.name}: ${p.detail}`).toBe(true);
  });
  it('the probes re-run after the reboot catch the same service down', () => {
    expect(report.probes.find((p) => p.host === 'vm-dev' && p.kind === 'container' && /^after the reboot: code-server /.test(p.name))?.ok).toBe(false);
  });
});
