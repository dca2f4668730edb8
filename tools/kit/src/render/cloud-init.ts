import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { isVmHost } from '../model/qemu.js';
import { vendorDataFile, vmSettings, type VirtiofsShare, type VmSettings } from '../model/vm-settings.js';
import type { Artifact } from './artifact.js';
import { GENERATED } from './generated.js';
import { toYaml } from './yaml.js';

/** systemd-escape --path: the unit name of a mount point (/mnt/tank/services/media -> mnt-tank-services-media). */
export function systemdEscapePath(path: string): string {
  const trimmed = path.replace(/\/+/g, '/').replace(/^\/|\/$/g, '');
  if (trimmed === '') return '-';
  let out = '';
  for (const [i, ch] of [...trimmed].entries()) {
    if (ch === '/') out += '-';
    else if (/[A-Za-z0-9:_]/.test(ch) || (ch === '.' && i > 0)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

export function mountUnitName(share: VirtiofsShare): string {
  return `${systemdEscapePath(share.guestPath)}.mount`;
}

function mountUnit(share: VirtiofsShare): string {
  return [
    '[Unit]',
    `Description=${share.fullName} from the Proxmox node (virtiofs, directory mapping ${share.mappingId})`,
    '',
    '[Mount]',
    `What=${share.mappingId}`,
    `Where=${share.guestPath}`,
    'Type=virtiofs',
    'Options=rw,relatime',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * The vendor data Proxmox adds to its own generated user data (`cicustom: vendor=...`): the
 * packages, a systemd mount unit per shared dataset, and Docker held back until those are
 * mounted, so no container ever writes into an empty mount point on the system disk.
 */
export function vendorData(vm: VmSettings): Record<string, unknown> {
  const units = vm.shares.map(mountUnitName);
  const stack = vm.host.services.length > 0;
  const writeFiles = vm.shares.map((share) => ({ path: `/etc/systemd/system/${mountUnitName(share)}`, permissions: '0644', content: mountUnit(share) }));
  if (stack && vm.shares.length > 0) {
    writeFiles.push({
      path: '/etc/systemd/system/docker.service.d/10-datasets.conf',
      permissions: '0644',
      content: `[Unit]\nRequiresMountsFor=${vm.shares.map((s) => s.guestPath).join(' ')}\n`,
    });
  }
  const runcmd: string[][] = [['systemctl', 'daemon-reload'], ['systemctl', 'start', 'qemu-guest-agent.service']];
  if (units.length > 0) runcmd.push(['systemctl', 'enable', '--now', ...units]);
  if (stack) runcmd.push(['systemctl', 'restart', 'docker.service']);
  return {
    package_update: true,
    packages: [...vm.packages],
    ...(writeFiles.length > 0 ? { write_files: writeFiles } : {}),
    runcmd,
  };
}

/** The VM's cloud-init vendor data, installed into the snippets storage its `cicustom` names. */
export function renderCloudInit(lab: Lab, host: HostDef): Artifact[] {
  if (!isVmHost(host)) return [];
  const vm = vmSettings(lab, host);
  const file = vendorDataFile(vm);
  return [
    {
      path: `proxmox/snippets/${file}`,
      kind: 'cloud-init',
      // cloud-init recognises vendor data by its first line.
      content: `#cloud-config\n${toYaml(vendorData(vm), { header: GENERATED(host) })}`,
      install: { path: `${vm.snippets.path}/snippets/${file}`, on: 'proxmox-host', mode: '0644', owner: 'root:root' },
    },
  ];
}
