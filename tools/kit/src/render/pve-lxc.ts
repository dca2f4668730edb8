import { derivedHwaddr } from '../model/guest-facts.js';
import type { Lab } from '../model/lab.js';
import { prefixLength } from '../model/network.js';
import { hasCustomIdMap, idMapOf, isLxcHost, proxmoxDatasetPath, type LxcHostDef } from '../model/lxc.js';
import { GENERATED } from './generated.js';
import { haOf } from '../model/placement.js';
import type { Renderer } from './index.js';

/**
 * One line of /etc/pve/lxc/<vmid>.conf with the model field it comes from, so that the checks
 * of the rendered values (validate/rules/pve-lxc.ts) can point at what to change.
 */
export interface PveConfEntry {
  readonly key: string;
  readonly value: string;
  /** The model field, relative to the host (`mounts[0]`, `tags`). */
  readonly field: string;
}

export interface PveLxcConf {
  /** The description, one entry per `#` line (not yet encoded). */
  readonly description: readonly string[];
  /** `key: value` options, sorted by key as pve-container writes them. */
  readonly options: readonly PveConfEntry[];
  /** Raw `lxc.*` lines, after the options, in their order. */
  readonly raw: readonly PveConfEntry[];
}

/** The volume `pct create --rootfs <storage>:<GiB>` allocates, as the config then names it. */
export function rootfsVolume(host: LxcHostDef): string {
  const { storage, storageType = 'zfspool' } = host.rootfs;
  const disk = `vm-${host.vmid}-disk-0`;
  switch (storageType) {
    case 'zfspool':
      return `${storage}:subvol-${host.vmid}-disk-0`;
    case 'lvmthin':
      return `${storage}:${disk}`;
    case 'dir':
      return `${storage}:${host.vmid}/${disk}.raw`;
  }
}

/** `k=v` pairs as pve-common's print_property_string writes them: the default key bare, then sorted. */
function propertyString(first: string | undefined, pairs: Record<string, string | number | undefined>): string {
  const rest = Object.keys(pairs)
    .filter((k) => pairs[k] !== undefined)
    .sort()
    .map((k) => `${k}=${pairs[k]}`);
  return [first, ...rest].filter((p) => p !== undefined).join(',');
}

function features(host: LxcHostDef): string | undefined {
  const f = host.features;
  if (!f) return undefined;
  const flag = (on: boolean | undefined) => (on ? 1 : undefined);
  const value = propertyString(undefined, {
    nesting: flag(f.nesting),
    keyctl: flag(f.keyctl),
    fuse: flag(f.fuse),
    mknod: flag(f.mknod),
    force_rw_sys: flag(f.forceRwSys),
    mount: f.mount && f.mount.length > 0 ? f.mount.join(';') : undefined,
  });
  return value === '' ? undefined : value;
}

/** `order=10,up=60`: pve-startup-order, keys in the order Proxmox prints them (containers and VMs alike). */
export function startupValue(startup: { order: number; up?: number; down?: number }): string {
  return [`order=${startup.order}`, startup.up !== undefined ? `up=${startup.up}` : '', startup.down !== undefined ? `down=${startup.down}` : '']
    .filter(Boolean)
    .join(',');
}

/** The container's configuration as entries: what the conf file says, field by field. */
export function pveLxcConf(lab: Lab, host: LxcHostDef): PveLxcConf {
  const plan = lab.facts.network;
  const options: PveConfEntry[] = [];
  const add = (key: string, value: string | number | undefined, field: string) => {
    if (value !== undefined) options.push({ key, value: String(value), field });
  };
  add('arch', host.arch ?? 'amd64', 'arch');
  add('cores', host.cores, 'cores');
  add('features', features(host), 'features');
  add('hostname', host.name, 'name');
  add('memory', host.memoryMiB, 'memoryMiB');
  add('nameserver', (host.nameservers ?? plan.nameservers).join(' '), 'nameservers');
  add(
    'net0',
    propertyString('name=eth0', {
      bridge: plan.bridge,
      // The guest's rules (/etc/pve/firewall/<vmid>.fw, rendered by the Proxmox host) apply only with firewall=1.
      firewall: 1,
      gw: plan.gateway,
      hwaddr: host.hwaddr ?? derivedHwaddr(host.name),
      ip: `${host.address}/${prefixLength(plan)}`,
      type: 'veth',
    }),
    'address',
  );
  add('onboot', host.onboot === false ? 0 : 1, 'onboot');
  add('ostype', host.ostype, 'ostype');
  add(
    'rootfs',
    propertyString(rootfsVolume(host), {
      mountoptions: host.rootfs.mountOptions?.length ? [...host.rootfs.mountOptions].sort().join(';') : undefined,
      size: `${host.diskGiB}G`,
    }),
    'rootfs',
  );
  add('startup', host.startup && startupValue(host.startup), 'startup');
  add('swap', host.swapMiB, 'swapMiB');
  add('tags', host.tags?.length ? [...new Set(host.tags)].sort().join(';') : undefined, 'tags');
  add('unprivileged', host.unprivileged === false ? 0 : 1, 'unprivileged');
  const ha = haOf(lab, host) !== undefined;
  (host.mounts ?? []).forEach((m, i) => {
    const source = proxmoxDatasetPath(lab.facts.zfs, m.dataset.name, m.sub);
    // An HA container moves between nodes (pct migrate, HA recovery): its bind mounts are marked as on every node (`shared=1`).
    add(`mp${i}`, propertyString(`${source},mp=${m.target}`, { ro: m.readOnly ? 1 : undefined, shared: ha ? 1 : undefined }), `mounts[${i}]`);
  });
  (host.devices ?? []).forEach((d, i) => {
    add(`dev${i}`, propertyString(d.path, { 'deny-write': d.denyWrite ? 1 : undefined, gid: d.gid, mode: d.mode, uid: d.uid }), `devices[${i}]`);
  });
  options.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const raw: PveConfEntry[] = [];
  if (hasCustomIdMap(host)) {
    for (const r of idMapOf(host)) raw.push({ key: 'lxc.idmap', value: `${r.kind} ${r.container} ${r.host} ${r.count}`, field: 'passthroughIds' });
  }
  (host.raw ?? []).forEach((r, i) => raw.push({ key: r.key, value: r.value, field: `raw[${i}]` }));

  const description = [...GENERATED(host), ...(host.description ? host.description.split('\n') : [])];
  return { description, options, raw };
}

/** pve-common's encode_text: escapes control and non-ASCII bytes, '%' and ':' (as Proxmox rewrites them). */
export function encodeDescriptionLine(line: string): string {
  return [...Buffer.from(line, 'utf8')]
    .map((b) => (b >= 0x20 && b <= 0x7e && b !== 0x25 && b !== 0x3a ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

/** The file text, laid out as pve-container's write_pct_config does: description, sorted options, raw keys. */
export function pveLxcConfText(conf: PveLxcConf): string {
  const lines = [
    ...conf.description.map((l) => `#${encodeDescriptionLine(l)}`),
    ...conf.options.map((e) => `${e.key}: ${e.value}`),
    ...conf.raw.map((e) => `${e.key}: ${e.value}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `proxmox/<vmid>.conf`: the container's Proxmox configuration, installed on its node. */
export const renderPveLxc: Renderer = (lab, host) =>
  isLxcHost(host)
    ? [
        {
          path: `proxmox/${host.vmid}.conf`,
          kind: 'pve-lxc',
          content: pveLxcConfText(pveLxcConf(lab, host)),
          install: { path: `/etc/pve/lxc/${host.vmid}.conf`, on: 'proxmox-host' },
        },
      ]
    : [];
