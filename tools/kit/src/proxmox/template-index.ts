/**
 * The container templates Proxmox's template index offers (`pveam available --section system`):
 * the `Location:` names of the `Section: system` entries of the appliance index pveam downloads
 * (http://download.proxmox.com/images/aplinfo-pve-*.dat), as pve-manager ships it in
 * `aplinfo/aplinfo.dat` (github.com/proxmox/pve-manager, commit 14a22df3, index last updated
 * 9d6e4c83 "update shipped appliance info index", 2026-07-15), read 2026-12-07.
 *
 * `pveam download <storage> <name>` refuses any other name ("template: no such template",
 * PVE/API2/Nodes.pm `apl_download`), so a container whose `ostemplate` is not here cannot be
 * made on a fresh node. Update this list with the lab's template (Renovate bumps the template in
 * packages/shared/src/containers.ts from the same index).
 */
export const PROXMOX_TEMPLATE_INDEX = {
  source: 'github.com/proxmox/pve-manager aplinfo/aplinfo.dat (commit 14a22df3, 2026-08-21)',
  read: '2026-12-07',
  system: [
    'almalinux-10-default_20250930_amd64.tar.xz',
    'almalinux-9-default_20240911_amd64.tar.xz',
    'alpine-3.22-default_20250617_amd64.tar.xz',
    'alpine-3.23-default_20260116_amd64.tar.xz',
    'alpine-3.24-default_20260714_amd64.tar.xz',
    'archlinux-base_20260420-1_amd64.tar.zst',
    'centos-10-stream-default_20260713_amd64.tar.xz',
    'centos-9-stream-default_20240828_amd64.tar.xz',
    'debian-12-standard_12.12-1_amd64.tar.zst',
    'debian-13-standard_13.6-1_amd64.tar.zst',
    'devuan-5.0-standard_5.0_amd64.tar.gz',
    'fedora-43-default_20260115_amd64.tar.xz',
    'fedora-44-default_20260713_amd64.tar.xz',
    'gentoo-current-openrc_20250508_amd64.tar.xz',
    'openeuler-25.03-default_20250507_amd64.tar.xz',
    'opensuse-15.6-default_20240910_amd64.tar.xz',
    'opensuse-16.0-default_20260116_amd64.tar.xz',
    'rockylinux-10-default_20251001_amd64.tar.xz',
    'rockylinux-9-default_20240912_amd64.tar.xz',
    'ubuntu-22.04-standard_22.04-1_amd64.tar.zst',
    'ubuntu-24.04-standard_24.04-2_amd64.tar.zst',
    'ubuntu-25.04-standard_25.04-1.1_amd64.tar.zst',
    'ubuntu-26.04-standard_26.04-1_amd64.tar.zst',
  ],
} as const;

/** Whether `pveam download` finds `name` (a file name, as `local:vztmpl/<name>` ends) in the pinned index. */
export function inTemplateIndex(name: string): boolean {
  return (PROXMOX_TEMPLATE_INDEX.system as readonly string[]).includes(name);
}
