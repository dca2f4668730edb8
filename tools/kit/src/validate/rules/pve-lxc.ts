import type { Findings } from '../../findings.js';
import type { Lab } from '../../model/lab.js';
import { isLxcHost, type LxcHostDef } from '../../model/lxc.js';
import { encodeDescriptionLine, pveLxcConf, type PveConfEntry } from '../../render/pve-lxc.js';
import { defineRule, hostPath } from '../rule.js';
import * as pve from '../pve-formats.js';
import { inTemplateIndex, PROXMOX_TEMPLATE_INDEX } from '../../proxmox/template-index.js';

const FEATURE_KEYS = new Set(['nesting', 'keyctl', 'fuse', 'mknod', 'force_rw_sys', 'mount']);
const MOUNT_OPTION = /^(discard|lazytime|noatime|nodev|noexec|nosuid)$/;
const MAX_INDEX = { mp: 255, dev: 255 } as const;

type Report = (code: string, entry: PveConfEntry | string, message: string) => void;

function pairs(value: string): Map<string, string> {
  return new Map(value.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as [string, string]));
}

function checkNet(e: PveConfEntry, lab: Lab, report: Report): void {
  const net = pairs(e.value);
  const ip = net.get('ip') ?? '';
  const gw = net.get('gw') ?? '';
  const problems = [
    !pve.isPveIfaceName(net.get('name') ?? '') && 'name is not an interface name',
    !pve.isPveIfaceName(net.get('bridge') ?? '') && `bridge "${net.get('bridge')}" is not a bridge name`,
    !pve.isPveIpv4Config(ip) && `ip "${ip}" is not an IPv4 address with a prefix of 8 to 32`,
    !pve.isIpv4(gw) && `gw "${gw}" is not an IPv4 address`,
    pve.isIpv4(gw) && pve.isPveIpv4Config(ip) && !pve.inSubnet(gw, ip) && `gw ${gw} is outside ${ip}`,
    net.get('type') !== 'veth' && 'type must be veth',
  ].filter((p): p is string => typeof p === 'string');
  for (const p of problems) report('lxc-net-invalid', e, `net0: ${p}; fix the network plan in packages/shared or the host's address.`);
  const hwaddr = net.get('hwaddr') ?? '';
  if (!pve.isPveUnicastMac(hwaddr)) report('lxc-net-invalid', 'hwaddr', `net0: hwaddr "${hwaddr}" is not a unicast MAC address (xx:xx:xx:xx:xx:xx, second hex digit even).`);
  if (!pve.inSubnet(ip.split('/')[0] ?? '', lab.facts.network.subnet)) {
    report('lxc-net-invalid', e, `net0: ${ip} is outside the lab's subnet ${lab.facts.network.subnet}; take the address from the network plan.`);
  }
}

function checkMountPoint(e: PveConfEntry, report: Report): void {
  const [source = '', ...rest] = e.value.split(',');
  const mp = pairs(rest.join(',')).get('mp') ?? '';
  if (!source.startsWith('/') || !pve.isPveLxcMpString(source)) report('lxc-mp-invalid', e, `${e.key}: host path "${source}" must be absolute without . or .. components.`);
  if (!mp.startsWith('/') || mp === '/' || !pve.isPveLxcMpString(mp)) report('lxc-mp-invalid', e, `${e.key}: container path "${mp}" must be absolute, not "/", without . or .. components.`);
  const known = rest.every((p) => /^(mp|ro|backup|acl|mountoptions|quota|replicate|shared|keepattrs|size|idmap)=[^=]*$/.test(p));
  if (!known || /=/.test(source)) report('lxc-mp-invalid', e, `${e.key}: paths may not contain "," or "=" (they separate the mount point's options).`);
}

function checkEntry(e: PveConfEntry, lab: Lab, host: LxcHostDef, report: Report): void {
  const int = (v: string) => (/^\d+$/.test(v) ? Number(v) : NaN);
  if (/[\n\r]/.test(e.value)) return report('lxc-option-invalid', e, `${e.key}: values may not contain a line break.`);
  const index = /^(mp|dev)(\d+)$/.exec(e.key);
  if (index && Number(index[2]) > MAX_INDEX[index[1] as 'mp' | 'dev']) {
    return report(index[1] === 'mp' ? 'lxc-mp-invalid' : 'lxc-dev-invalid', e, `${e.key}: Proxmox allows ${index[1]}0 to ${index[1]}255 only.`);
  }
  switch (index ? index[1] : e.key) {
    case 'hostname':
      if (!pve.isPveDnsName(e.value)) report('lxc-hostname-invalid', e, `hostname "${e.value}" is not a DNS name (letters, digits, inner hyphens; no underscores).`);
      break;
    case 'cores':
      if (!(int(e.value) >= 1 && int(e.value) <= 8192)) report('lxc-cores-range', e, `cores ${e.value}: Proxmox takes 1 to 8192.`);
      break;
    case 'memory':
      if (!(int(e.value) >= 16)) report('lxc-memory-range', e, `memory ${e.value} MiB: Proxmox takes 16 MiB or more.`);
      break;
    case 'swap':
      if (!(int(e.value) >= 0)) report('lxc-swap-range', e, `swap ${e.value} MiB: Proxmox takes 0 or more.`);
      break;
    case 'nameserver':
      for (const ns of e.value.split(' ')) if (!pve.isIp(ns)) report('lxc-nameserver-invalid', e, `nameserver "${ns}" is not an IP address.`);
      break;
    case 'net0':
      checkNet(e, lab, report);
      break;
    case 'rootfs': {
      const [volume = '', ...options] = e.value.split(',');
      const storage = volume.split(':')[0] ?? '';
      if (!pve.isPveStorageId(storage)) report('lxc-rootfs-invalid', e, `rootfs storage "${storage}" is not a Proxmox storage id (a letter first, letters, digits, - _ .).`);
      const opts = pairs(options.join(','));
      if (!pve.isPveDiskSize(opts.get('size') ?? '') || /^0+G$/.test(opts.get('size') ?? '')) report('lxc-rootfs-invalid', 'diskGiB', `rootfs size "${opts.get('size')}" is not a positive disk size; set diskGiB.`);
      for (const o of (opts.get('mountoptions') ?? '').split(';').filter(Boolean)) if (!MOUNT_OPTION.test(o)) report('lxc-rootfs-invalid', e, `rootfs mount option "${o}" is not one Proxmox allows.`);
      break;
    }
    case 'mp':
      checkMountPoint(e, report);
      break;
    case 'dev': {
      const [path = '', ...options] = e.value.split(',');
      const opts = pairs(options.join(','));
      if (!pve.isPveLxcDevString(path)) report('lxc-dev-invalid', e, `${e.key}: "${path}" is not a device path under /dev/.`);
      if (opts.has('mode') && !/^0[0-7]{3}$/.test(opts.get('mode')!)) report('lxc-dev-invalid', e, `${e.key}: mode "${opts.get('mode')}" must be octal like 0660.`);
      break;
    }
    case 'features':
      for (const [k, v] of pairs(e.value)) {
        if (!FEATURE_KEYS.has(k)) report('lxc-features-invalid', e, `features: unknown feature "${k}".`);
        if (k === 'mount' && !/^[a-zA-Z0-9_; ]+$/.test(v)) report('lxc-features-invalid', e, `features: mount "${v}" must list file system types (letters, digits, _).`);
        if (k === 'keyctl' && host.unprivileged === false) report('lxc-features-invalid', e, 'features: keyctl exists for unprivileged containers only.');
      }
      break;
    case 'startup':
      if (!pve.isPveStartupOrder(e.value)) report('lxc-startup-invalid', e, `startup "${e.value}" is not order=N[,up=N][,down=N] with whole numbers.`);
      break;
    case 'tags':
      (host.tags ?? []).forEach((tag, i) => {
        if (!pve.isPveTag(tag)) report('lxc-tag-invalid', `tags[${i}]`, `tag "${tag}" may hold letters, digits and _ - + . only, and not start with - + or .`);
      });
      break;
  }
}

function checkHost(lab: Lab, host: LxcHostDef, findings: Findings): void {
  const report: Report = (code, entry, message) => {
    findings.error(code, hostPath(host, typeof entry === 'string' ? entry : entry.field), message);
  };
  const conf = pveLxcConf(lab, host);
  const template = /^[^:]+:vztmpl\/(.+)$/.exec(host.ostemplate)?.[1];
  if (template !== undefined && !inTemplateIndex(template)) {
    const same = PROXMOX_TEMPLATE_INDEX.system.filter((t) => t.split('_')[0] === template.split('_')[0]);
    report('lxc-template-unknown', 'ostemplate', `"${template}" is not in Proxmox's template index (${PROXMOX_TEMPLATE_INDEX.source}, read ${PROXMOX_TEMPLATE_INDEX.read}): pveam download refuses it ("no such template")${same.length ? `; the index has ${same.join(', ')}` : ''}.`);
  }
  for (const e of conf.options) checkEntry(e, lab, host, report);
  const description = conf.description.map(encodeDescriptionLine).join('\n');
  if (description.length > 8192) report('lxc-description-too-long', 'description', `the description is ${description.length} characters encoded; Proxmox keeps 8192. Shorten it.`);
  const targets = new Map<string, number>();
  (host.mounts ?? []).forEach((m, i) => {
    const seen = targets.get(m.target);
    if (seen !== undefined) report('lxc-mp-invalid', `mounts[${i}]`, `mounts[${i}] and mounts[${seen}] both mount at ${m.target}; give each its own container path.`);
    targets.set(m.target, i);
  });
  (host.raw ?? []).forEach((r, i) => {
    const problem = pve.rawLxcKeyProblem(r.key);
    if (problem) report('lxc-raw-key-forbidden', `raw[${i}]`, `"${r.key}" ${problem}. Use a typed option of defineLxc where one exists.`);
    if (/[\n\r]/.test(r.value) || r.value.trim() === '') report('lxc-raw-key-forbidden', `raw[${i}]`, `"${r.key}" needs a one-line, non-empty value.`);
  });
  for (const kind of ['uids', 'gids'] as const) {
    for (const id of host.passthroughIds?.[kind] ?? []) {
      if (!Number.isInteger(id) || id < 0 || id >= 65536) report('lxc-idmap-invalid', 'passthroughIds', `passthrough ${kind.slice(0, 3)} ${id} must be a whole number from 0 to 65535 (the container's id range).`);
    }
  }
  if (host.unprivileged === false) findings.warning('lxc-privileged', hostPath(host, 'unprivileged'), `${host.name} is a privileged container: its root is the Proxmox host's root. Keep it unprivileged unless a reason forces otherwise.`);
}

/**
 * The checks of /etc/pve/lxc/<vmid>.conf: every key the kit writes is checked, as rendered,
 * against the format pve-container's Config.pm gives it; the finding names the model field.
 */
export const pveLxcRule = defineRule({
  description: 'The checks of /etc/pve/lxc/<vmid>.conf as pct reads it',
  docs: 'findings.md#lxc-containers-etcpvelxcvmidconf-per-host',
  codes: [
    'lxc-hostname-invalid', 'lxc-cores-range', 'lxc-memory-range', 'lxc-swap-range',
    'lxc-nameserver-invalid', 'lxc-net-invalid', 'lxc-rootfs-invalid', 'lxc-mp-invalid', 'lxc-dev-invalid',
    'lxc-features-invalid', 'lxc-startup-invalid', 'lxc-tag-invalid', 'lxc-option-invalid',
    'lxc-description-too-long', 'lxc-raw-key-forbidden', 'lxc-idmap-invalid', 'lxc-privileged', 'lxc-template-unknown',
  ],
  check(lab, findings) {
    for (const host of lab.hosts) if (isLxcHost(host)) checkHost(lab, host, findings);
  },
});
