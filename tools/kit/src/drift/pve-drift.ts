import { join } from 'node:path';
import type { Lab } from '../model/lab.js';
import { labMachines, type Machine } from '../model/proxmox-host.js';
import { DeployError } from '../common/errors.js';
import { guestDefinition, guestSetup, readLocalRelease } from '../deploy/index.js';
import { commandLine } from '../shell/quote.js';
import type { Dialect } from '../proxmox/dialects.js';
import { isQemuSetup } from '../proxmox/qemu-create.js';
import type { Finding } from '../findings.js';
import { planZfsOn, type RunZfs } from '../zfs/apply.js';
import type { WantedLayout } from '../zfs/wanted.js';
import { guestDrift } from './guest-drift.js';
import type { DriftItem } from './item.js';
import { zfsDrift } from './zfs-drift.js';

/** A guest of the node as its host's build renders it. */
export interface NodeGuest {
  readonly host: string;
  readonly dialect: Dialect;
  readonly vmid: number;
  readonly desired: string;
  /** Options its setup sets from secrets (a VM's sshkeys): not in the file, never compared. */
  readonly ignore: readonly string[];
}

/**
 * The guests the lab puts on `node`, each from its host's dist/ (a guest without a build stops
 * the check: `nx run <host>:build`). Hosts without a guest definition are not guests of a node.
 */
export function nodeGuests(lab: Lab, node: string, hostDirs: ReadonlyMap<string, string>, secretsDir: string): NodeGuest[] {
  const guests: NodeGuest[] = [];
  for (const m of labMachines(lab)) {
    if (m.kind === 'pve' || (m.node ?? lab.facts.proxmox.defaultNode) !== node) continue;
    const dir = hostDirs.get(m.name);
    if (!dir) continue;
    const release = readLocalRelease(m as Machine, join(dir, 'dist'), secretsDir);
    const def = guestDefinition(release);
    if (!def) continue;
    const setup = guestSetup(release);
    guests.push({ host: m.name, dialect: def.dialect, vmid: m.vmid, desired: def.content, ignore: isQemuSetup(setup) ? Object.keys(setup.secretOptions) : [] });
  }
  return guests.sort((a, b) => a.vmid - b.vmid);
}

/** `pct config <id>` / `qm config <id>`: the printed configuration, or undefined when the guest does not exist. */
export async function printedConfig(run: RunZfs, guest: Pick<NodeGuest, 'dialect' | 'vmid'>): Promise<string | undefined> {
  const argv = [guest.dialect.cli, 'config', String(guest.vmid)];
  const r = await run(argv);
  if (r.code === 0) return r.stdout;
  if (/does not exist/.test(r.stderr)) return undefined;
  throw new DeployError('remote-command-failed', `\`${commandLine(argv)}\` failed (exit ${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
}

export interface PveDriftInput {
  /** The Proxmox host's name (the findings' host). */
  readonly host: string;
  readonly guests: readonly NodeGuest[];
  /** The pool layout of its build (zfs-datasets.json), when it has one. */
  readonly wanted?: WantedLayout;
  /** Runs one command on the node (over the SSH shell; a fake in tests). */
  readonly run: RunZfs;
}

/**
 * The node's side of drift: each guest's configuration as pve prints it against its rendered
 * file (found under the node's name, `guests/<vmid>/<option>`), and the datasets' declared
 * properties against the layout.
 */
export async function pveDrift(input: PveDriftInput): Promise<{ items: DriftItem[]; findings: Finding[] }> {
  const items: DriftItem[] = [];
  for (const g of input.guests) {
    items.push(...guestDrift({ host: input.host, dialect: g.dialect, vmid: g.vmid, desired: g.desired, printed: await printedConfig(input.run, g), ignore: g.ignore }));
  }
  if (!input.wanted) return { items, findings: [] };
  const zfs = zfsDrift(input.host, await planZfsOn(input.wanted, input.run, input.host));
  return { items: [...items, ...zfs.items], findings: zfs.findings };
}
