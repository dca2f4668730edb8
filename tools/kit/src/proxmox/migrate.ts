import { commandLine, quote } from '../shell/quote.js';
import type { Dialect } from './dialects.js';
import type { GuestStep } from './steps.js';

/** A guest found on one node that the model places on another: moved, never destroyed and created. */
export interface Migration {
  readonly from: string;
  readonly to: string;
  /** `live`: a running VM moves without stopping; `restart`: it stops, moves and starts (containers, VMs with virtiofs). */
  readonly mode: 'live' | 'restart';
}

/**
 * The command on the source node, run from the target node as Proxmox runs commands between
 * its nodes (PVE::SSHInfo): root over SSH, the source's host key from the cluster's own
 * /etc/pve/nodes/<node>/ssh_known_hosts under its node name. qm and pct act on guests of the
 * node they run on, so the migration is asked of the source.
 */
export function onNodeScript(node: string, address: string, script: string): string {
  return commandLine([
    'ssh', '-e', 'none', '-o', 'BatchMode=yes', '-o', `HostKeyAlias=${node}`,
    '-o', `UserKnownHostsFile=/etc/pve/nodes/${node}/ssh_known_hosts`, '-o', 'GlobalKnownHostsFile=none',
    `root@${address}`, '--', script,
  ]);
}

/** What moves the guest: `qm migrate` (live with --online when running, local disks along) or `pct migrate` (--restart when running). */
export function migrateCommand(d: Dialect, vmid: number, m: Migration): string {
  const id = String(vmid);
  if (d.kind === 'lxc') return `if pct status ${id} | grep -q running; then pct migrate ${id} ${quote(m.to)} --restart; else pct migrate ${id} ${quote(m.to)}; fi`;
  if (m.mode === 'live') return `if qm status ${id} | grep -q running; then qm migrate ${id} ${quote(m.to)} --online --with-local-disks; else qm migrate ${id} ${quote(m.to)} --with-local-disks; fi`;
  // A VM that cannot move live (virtiofs): shut down, moved with its disks, started on the target afterwards.
  return `if qm status ${id} | grep -q running; then qm shutdown ${id} --timeout 180; fi; qm migrate ${id} ${quote(m.to)} --with-local-disks`;
}

/**
 * The steps that move the guest from `m.from` to `m.to`, run on the target node: the migration
 * on the source, then a wait until the guest's file is on the target (an HA guest's migration is
 * done by the HA manager, after qm/pct return), then, for a VM that had to stop, its start.
 */
export function migrationSteps(d: Dialect, vmid: number, m: Migration, sourceAddress: string, startAfter: boolean): GuestStep[] {
  const conf = `/etc/pve/nodes/${m.to}/${d.confDir}/${vmid}.conf`;
  const steps: GuestStep[] = [
    { kind: 'script', text: onNodeScript(m.from, sourceAddress, migrateCommand(d, vmid, m)), why: `migrate ${d.noun} ${vmid} from ${m.from} to ${m.to} (${m.mode})` },
    { kind: 'script', text: `i=0; while [ ! -f ${quote(conf)} ]; do i=$((i+1)); [ "$i" -le 1800 ] || exit 1; sleep 1; done`, why: `wait for ${vmid} to arrive on ${m.to}` },
  ];
  if (d.kind === 'qemu' && m.mode === 'restart' && startAfter) steps.push({ kind: 'script', text: `qm status ${vmid} | grep -q running || qm start ${vmid}`, why: `start ${vmid} on ${m.to}` });
  return steps;
}
