/** What the lab's LXC containers are made from, where their root disks live, and what every one of them needs. */
export const containers = {
  // Debian 12 (bookworm), Proxmox VE's own template; its Samba (4.17) is the one the system tier's testparm checks.
  ostemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst',
  ostype: 'debian',
  // The Proxmox host's own ZFS storage for guest disks (rpool/data), not the data pool `tank`.
  rootfs: { storage: 'local-zfs', storageType: 'zfspool' },
  // systemd inside a Debian 12 container needs nesting to sandbox its services.
  features: { nesting: true },
} as const;
