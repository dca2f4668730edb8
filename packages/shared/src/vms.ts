import { secret, type QemuOptions } from '@homelab/kit';

/**
 * What every VM of the lab has in common, spread into each host.ts: the cloud image its disk is
 * imported from, where that disk lives, and what cloud-init sets up on the first boot.
 */
export const vmDefaults = {
  ostype: 'l26',
  disk: {
    // The Proxmox installer's ZFS storage; the node's storage.cfg is packages/pve's.
    storage: 'local-zfs',
    storageType: 'zfspool',
    // Debian 13's generic cloud image, downloaded into the `import` content of the local storage.
    importFrom: 'local:import/debian-13-genericcloud-amd64.qcow2',
  },
  cloudInit: {
    // Deploy connects as root (its default): Proxmox's cloud-init then enables root's key login.
    user: 'root',
    sshKeys: secret('vm_ssh_authorized_keys'),
    // Docker and Compose v2 (Debian 13's docker-compose is v2 and provides `docker compose`).
    packages: ['docker.io', 'docker-compose'],
  },
} as const satisfies QemuOptions;
