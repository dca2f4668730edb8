import type { Lab } from '../model/lab.js';
import { hasCustomIdMap, idMapOf, isLxcHost, type LxcHostDef } from '../model/lxc.js';
import { lxcSettings } from '../model/lxc-settings.js';
import { GENERATED } from './generated.js';
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
  const ct = lxcSettings(lab, host);
  const options: PveConfEntry[] = [];
  const add = (key: string, value: string | number | undefined, field: string) => {
    if (value !== undefined) options.push({ key, value: String(value), field });
  };
  add('arch', ct.arch, 'arch');
  add('cores', ct.cores, 'cores');
  add('features', features(host), 'features');
  add('hostname', ct.name, 'name');
  add('memory', ct.memoryMiB, 'memoryMiB');
  add('nameserver', ct.nameservers.join(' '), 'nameservers');
  add(
    'net0',
    propertyString('name=eth0', {
      bridge: ct.bridge,
      // The guest's rules (/etc/pve/firewall/<vmid>.fw, rendered by the Proxmox host) apply only with firewall=1.
      firewall: 1,
      gw: ct.gateway,
      hwaddr: ct.mac,
      ip: `${ct.address}/${ct.prefix}`,
      type: 'veth',
    }),
    'address',
  );
  add('onboot', ct.onboot ? 1 : 0, 'onboot');
  add('ostype', ct.ostype, 'ostype');
  add(
    'rootfs',
    propertyString(ct.rootfsVolume, {
      mountoptions: ct.rootfsMountOptions.length ? ct.rootfsMountOptions.join(';') : undefined,
      size: `${ct.diskGiB}G`,
    }),
    'rootfs',
  );
  add('startup', ct.startup && startupValue(ct.startup), 'startup');
  add('swap', ct.swapMiB, 'swapMiB');
  add('tags', ct.tags.length ? ct.tags.join(';') : undefined, 'tags');
  add('unprivileged', ct.unprivileged ? 1 : 0, 'unprivileged');
  ct.mounts.forEach((m, i) => {
    // An HA container moves between nodes (pct migrate, HA recovery): its bind mounts are marked as on every node (`shared=1`).
    add(`mp${i}`, propertyString(`${m.source},mp=${m.target}`, { ro: m.readOnly ? 1 : undefined, shared: m.shared ? 1 : undefined }), m.field);
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
