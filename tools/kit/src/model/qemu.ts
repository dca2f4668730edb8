import type { GuestSpec, HostDef } from './host.js';
import type { StartupOrder } from './lxc.js';
import type { SecretRef } from './secret.js';

/** `ostype` values qemu-server accepts (src/PVE/QemuServer.pm, $confdesc->{ostype}); `l26` is Linux 2.6 - 7.x. */
export type QemuOsType = 'other' | 'wxp' | 'w2k' | 'w2k3' | 'w2k8' | 'wvista' | 'win7' | 'win8' | 'win10' | 'win11' | 'l24' | 'l26' | 'solaris';

/** How a Proxmox storage names a VM's volumes: `vm-<vmid>-disk-0` on zfspool/lvmthin, `<vmid>/vm-<vmid>-disk-0.qcow2` on a directory. */
export type QemuStorageType = 'zfspool' | 'lvmthin' | 'dir';

/** Where the VM's system disk and cloud-init drive live on the Proxmox node. */
export interface QemuDisk {
  /** Proxmox storage id, e.g. `local-zfs`. The disk's size is the guest's `diskGiB`. */
  readonly storage?: string;
  readonly storageType?: QemuStorageType;
  /**
   * The cloud image the system disk is imported from when the VM is created
   * (`qm set <vmid> --scsi0 <storage>:0,import-from=<this>`), a volume id or an absolute path.
   */
  readonly importFrom?: string;
}

/** A storage with the `snippets` content type, where the VM's vendor data is installed. */
export interface SnippetStorage {
  readonly storage: string;
  /** The storage's path on the node (`local` is /var/lib/vz); the file goes to <path>/snippets/. */
  readonly path: string;
}

/** The cloud-init settings Proxmox hands the guest on its first boot. */
export interface QemuCloudInit {
  /** The user cloud-init sets up (`ciuser`); the image's default user when absent. */
  readonly user?: string;
  /**
   * The user's authorized_keys, by reference: never written into dist/. Deploy passes the decrypted
   * file to `qm set <vmid> --sshkeys <file>`, which URL-encodes it into the configuration.
   */
  readonly sshKeys?: SecretRef;
  /** Debian packages installed on first boot (`qemu-guest-agent` is always added: `agent: 1` needs it). */
  readonly packages?: readonly string[];
  readonly snippets?: SnippetStorage;
}

/** What a VM needs beyond a guest's common facts; every field has a default (see QEMU_DEFAULTS). */
export interface QemuOptions {
  /**
   * false: this VM's definition is not managed here (a machine outside Proxmox, a test target):
   * no qm configuration, setup or cloud-init is rendered and deploy only reaches it over SSH.
   */
  readonly proxmox?: false;
  readonly startup?: StartupOrder;
  /** Start with the Proxmox node; default true. */
  readonly onboot?: boolean;
  readonly ostype?: QemuOsType;
  /** `ovmf` (UEFI) adds an EFI vars disk; default `seabios`, which cloud images boot as they come. */
  readonly bios?: 'seabios' | 'ovmf';
  readonly machine?: string;
  /** The emulated CPU type; default `x86-64-v2-AES` (Proxmox's default for new VMs, migratable). */
  readonly cpu?: string;
  /** Proxmox tags, added to the lab's name. */
  readonly tags?: readonly string[];
  readonly disk?: QemuDisk;
  readonly cloudInit?: QemuCloudInit;
  /** The MAC address of net0; default one derived from the host name (stable, so cloud-init keeps its network). */
  readonly mac?: string;
}

export interface VmSpec extends Omit<GuestSpec, 'kind'>, QemuOptions {}

/** A host that is a VM, with its VM options. */
export type VmHostDef = HostDef & QemuOptions & { readonly kind: 'vm' };

/** A VM whose Proxmox definition this lab manages. */
export function isVmHost(host: HostDef): host is VmHostDef {
  return host.kind === 'vm' && (host as { proxmox?: false }).proxmox !== false;
}

/** The values a VM gets for what its definition leaves out. */
export const QEMU_DEFAULTS = {
  onboot: true,
  ostype: 'l26',
  bios: 'seabios',
  machine: 'q35',
  cpu: 'x86-64-v2-AES',
  storage: 'local-zfs',
  storageType: 'zfspool',
  snippets: { storage: 'local', path: '/var/lib/vz' },
  packages: ['qemu-guest-agent'],
} as const satisfies Record<string, unknown>;

/** qemu-server's limit on `virtiofsN` entries per VM (src/PVE/QemuServer/Virtiofs.pm, $MAX_VIRTIOFS). */
export const MAX_VIRTIOFS = 10;
