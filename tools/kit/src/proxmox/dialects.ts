import { formatProperty, parseProperty, type PropertyString } from './property-string.js';

/** What differs between containers (pct, /etc/pve/lxc) and VMs (qm, /etc/pve/qemu-server). */
export interface Dialect {
  readonly kind: 'lxc' | 'qemu';
  readonly cli: 'pct' | 'qm';
  /** The artifact kind whose file is this guest's configuration. */
  readonly artifactKind: 'pve-lxc' | 'pve-qemu';
  readonly confDir: 'lxc' | 'qemu-server';
  readonly noun: string;
  /** Options Proxmox keeps itself (digests, locks, generated ids): never compared, never removed. */
  isAuto(key: string): boolean;
  /** Options whose value is a disk or mount point (sizes, storage, allocation on create). */
  isVolume(key: string, value: string): boolean;
  /** Options fixed when the guest is created: a change means destroying and creating it again. */
  readonly createOnly: ReadonlySet<string>;
  /**
   * A network option normalized for comparison: the keys Proxmox generates when absent (MAC
   * addresses) are split out so a rendered file without them matches the host's.
   */
  splitNet(key: string, value: string): { readonly p: PropertyString; readonly mac?: string } | undefined;
  /** The network value to set: the rendered one with the host's MAC address kept. */
  joinNet(key: string, desired: string, mac: string | undefined): string;
  /** A create-time value for options that name something create makes (the cloud-init drive). */
  createValue?(key: string, value: string): string | undefined;
}

const COMMON_AUTO = /^(digest|lock|parent|snaptime|unused\d+)$/;

export const lxcDialect: Dialect = {
  kind: 'lxc',
  cli: 'pct',
  artifactKind: 'pve-lxc',
  confDir: 'lxc',
  noun: 'container',
  isAuto: (key) => COMMON_AUTO.test(key),
  isVolume: (key) => key === 'rootfs' || /^mp\d+$/.test(key),
  createOnly: new Set(['unprivileged']),
  splitNet(key, value) {
    if (!/^net\d+$/.test(key)) return undefined;
    const p = parseProperty(value);
    const keys = new Map(p.keys);
    const mac = keys.get('hwaddr');
    keys.delete('hwaddr');
    if (keys.get('type') === 'veth') keys.delete('type');
    return { p: { ...(p.head !== undefined ? { head: p.head } : {}), keys }, ...(mac ? { mac } : {}) };
  },
  joinNet(_key, desired, mac) {
    const p = parseProperty(desired);
    if (!mac || p.keys.has('hwaddr')) return desired;
    const keys = new Map(p.keys);
    keys.set('hwaddr', mac);
    return formatProperty({ ...(p.head !== undefined ? { head: p.head } : {}), keys });
  },
};

const NIC_MODELS = new Set(['e1000', 'e1000-82540em', 'e1000-82544gc', 'e1000-82545em', 'e1000e', 'i82551', 'i82557b', 'i82559er', 'ne2k_isa', 'ne2k_pci', 'pcnet', 'rtl8139', 'virtio', 'vmxnet3']);
const CLOUDINIT = /^([^:\s/]+):(?:vm-\d+-)?cloudinit(?:\.\w+)?$/;

/** `virtio=BC:24:11:..,bridge=vmbr0` or `virtio,bridge=vmbr0` or `model=virtio,macaddr=..`: the model, the MAC, the rest. */
function splitQemuNet(value: string): { model?: string; mac?: string; rest: Map<string, string> } {
  const p = parseProperty(value);
  const rest = new Map(p.keys);
  let model = p.head;
  let mac = rest.get('macaddr');
  rest.delete('macaddr');
  if (rest.has('model')) {
    model = rest.get('model');
    rest.delete('model');
  }
  for (const m of NIC_MODELS) {
    if (rest.has(m)) {
      model = m;
      mac = rest.get(m) || mac;
      rest.delete(m);
    }
  }
  return { ...(model ? { model } : {}), ...(mac ? { mac } : {}), rest };
}

export const qemuDialect: Dialect = {
  kind: 'qemu',
  cli: 'qm',
  artifactKind: 'pve-qemu',
  confDir: 'qemu-server',
  noun: 'VM',
  isAuto: (key) => COMMON_AUTO.test(key) || key === 'vmgenid' || key === 'meta' || key === 'smbios1' || key === 'cipassword',
  isVolume: (key, value) => (/^(ide|sata|scsi|virtio)\d+$/.test(key) && !/(^|,)media=cdrom(,|$)/.test(value)) || key === 'efidisk0' || key === 'tpmstate0',
  createOnly: new Set(),
  splitNet(key, value) {
    if (!/^net\d+$/.test(key)) return undefined;
    const { model, mac, rest } = splitQemuNet(value);
    return { p: { ...(model ? { head: model } : {}), keys: rest }, ...(mac ? { mac } : {}) };
  },
  joinNet(_key, desired, mac) {
    const { model, mac: own, rest } = splitQemuNet(desired);
    const head = model ? `${model}${own ?? mac ? `=${own ?? mac}` : ''}` : undefined;
    return formatProperty({ ...(head ? { head } : {}), keys: rest });
  },
  createValue(key, value) {
    if (!/^(ide|sata|scsi)\d+$/.test(key)) return undefined;
    const p = parseProperty(value);
    const ci = p.head ? CLOUDINIT.exec(p.head) : null;
    return ci ? `${ci[1]}:cloudinit` : undefined;
  },
};

export function dialectFor(artifactKind: string): Dialect | undefined {
  return artifactKind === 'pve-lxc' ? lxcDialect : artifactKind === 'pve-qemu' ? qemuDialect : undefined;
}
