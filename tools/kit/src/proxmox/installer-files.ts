/**
 * The cluster files a fresh Proxmox VE install leaves in /etc/pve (pve-installer writes them into
 * pmxcfs's database: `Proxmox/Install.pm`, `Proxmox/Install/StorageConfig.pm`,
 * github.com/proxmox/pve-installer commit ec2af901, 2026-06-10, read 2026-12-07). Our own
 * statement of what that source writes, for tests and the twin's fresh node:
 *
 * - storage.cfg, for a ZFS root (`get_zfs_config`): `local` and `local-zfs`, a blank line
 *   between them and none after the last (the heredoc ends with the `content` line);
 * - user.cfg: `user:root@pam:1:0:::<mailto>::` (the mail address asked for during install);
 * - datacenter.cfg: `keyboard: <kvm keymap>` (en-us unless another keymap was chosen).
 */
export function installerStorageCfg(pool = 'rpool'): string {
  return `dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup,import\n\nzfspool: local-zfs\n\tpool ${pool}/data\n\tsparse\n\tcontent images,rootdir\n`;
}

export function installerUserCfg(mailto: string): string {
  return `user:root@pam:1:0:::${mailto}::\n`;
}

export function installerDatacenterCfg(keymap = 'en-us'): string {
  return `keyboard: ${keymap}\n`;
}
