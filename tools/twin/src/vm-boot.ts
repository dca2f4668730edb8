import { basename } from 'node:path';
import type { VendorTrust } from './trust.js';
import type { VmMount } from './vm.js';

/** The vendor data's parts a boot after the first one still follows: the units it wrote and the commands its first boot ran. */
export interface VendorBoot extends VendorTrust {
  readonly runcmd?: readonly (string | readonly string[])[];
}

/**
 * The units of the vendor data that start at every boot, not only the first: cloud-init's
 * `runcmd` runs on the first boot only (cloud-init's docs, "Run commands during boot":
 * canonical/cloud-init doc/rtd/reference/yaml_examples/boot_cmds.rst, read 2026-12-07), so a
 * unit it only `systemctl start`s is gone after a reboot; one it `systemctl enable`s gets the
 * link its `[Install] WantedBy=` names and systemd starts it at each boot (systemd.unit(5),
 * "[Install] Section Options"). A unit with no `[Install]` section cannot be enabled.
 */
export function enabledUnits(vendor: VendorBoot): Set<string> {
  const installable = new Set(
    (vendor.write_files ?? [])
      .filter((f) => f.path.startsWith('/etc/systemd/system/') && /^\[Install\][^[]*^WantedBy=\S+/ms.test(f.content))
      .map((f) => basename(f.path)),
  );
  const enabled = new Set<string>();
  for (const cmd of vendor.runcmd ?? []) {
    const argv = typeof cmd === 'string' ? cmd.trim().split(/\s+/) : cmd.map(String);
    const at = argv.indexOf('enable');
    if (basename(argv[0] ?? '') !== 'systemctl' || at < 0) continue;
    for (const unit of argv.slice(at + 1)) if (!unit.startsWith('-') && installable.has(unit)) enabled.add(unit);
  }
  return enabled;
}

/** The mount unit systemd names for a mount point (systemd-escape --path: `/mnt/tank/x` -> `mnt-tank-x.mount`). */
export function mountUnitName(where: string): string {
  const path = where.replace(/^\/+|\/+$/g, '');
  if (path === '') return '-.mount';
  const escaped = path
    .split('/')
    .map((part) => part.replace(/^\./, '\\x2e').replace(/[^A-Za-z0-9:_.\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .join('-');
  return `${escaped}.mount`;
}

/** What a reboot of the VM mounts again: each dataset whose mount unit boot starts, and each one it leaves unmounted. */
export function bootMounts(mounts: readonly VmMount[], vendor: VendorBoot): { mounted: VmMount[]; lost: VmMount[] } {
  const enabled = enabledUnits(vendor);
  const mounted = mounts.filter((m) => enabled.has(mountUnitName(m.where)));
  return { mounted, lost: mounts.filter((m) => !mounted.includes(m)) };
}
