import type { PveQemuSetup } from '../render/pve-qemu-setup.js';
import type { PveLxcSetup } from '../render/pve-lxc-setup.js';
import { qemuDialect } from './dialects.js';
import { runStep, type GuestStep } from './steps.js';

/** The keys qm create writes that Proxmox owns (generated ids, creation stamp): kept when the rendered file goes over them. */
export const QEMU_CREATED_KEYS: readonly string[] = ['meta', 'smbios1', 'vmgenid'];

export function isQemuSetup(setup: PveLxcSetup | PveQemuSetup | undefined): setup is PveQemuSetup {
  return setup !== undefined && 'resize' in setup;
}

/** `qm set <vmid> --<option>` given each secret's value as a 0600 file (in option order). */
export function secretOptionSteps(setup: PveQemuSetup): GuestStep[] {
  return Object.entries(setup.secretOptions)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([option, secret]): GuestStep => ({ kind: 'secret-file', argv: ['qm', 'set', String(setup.vmid), `--${option}`], secret, why: `set ${option} of ${setup.vmid} from secret ${secret}` }));
}

/**
 * A VM whose vmid is free, made the way its `proxmox/<vmid>.setup.json` says: its exact
 * `qm create` (the system disk imported from the cloud image, the cloud-init drive), its exact
 * `qm disk resize`, the rendered file over what create wrote (it names the volumes create
 * allocated; Proxmox's generated ids are kept), the options set from secrets, then the start.
 * The snippets the file names (cicustom) are the node files, written before these steps.
 */
export function qemuCreateSteps(setup: PveQemuSetup, desired: string, confPath: string, onboot: boolean): GuestStep[] {
  const vmid = String(setup.vmid);
  return [
    runStep(`create ${qemuDialect.noun} ${vmid}`, ...setup.create),
    runStep(`grow the imported disk of ${vmid}`, ...setup.resize),
    { kind: 'write', path: confPath, content: desired, keep: QEMU_CREATED_KEYS, why: `write the configuration of ${vmid}` },
    ...secretOptionSteps(setup),
    ...(onboot ? [runStep(`start ${vmid} (onboot)`, 'qm', 'start', vmid)] : []),
  ];
}
