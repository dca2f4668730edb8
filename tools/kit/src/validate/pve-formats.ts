import ipaddr from 'ipaddr.js';

// The value formats of Proxmox VE configuration files, as pve-common's JSONSchema.pm and
// pve-container's LXC/Config.pm define them. Each returns true when Proxmox would accept the value.

/** `dns-name` (JSONSchema.pm): labels of letters, digits and inner hyphens, joined by dots. */
export function isPveDnsName(name: string): boolean {
  const label = '[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?';
  return name.length <= 255 && new RegExp(`^(${label}\\.)*${label}$`).test(name);
}

/** One tag of `pve-tag-list` ($PVE_TAG_RE, case-insensitive). */
export function isPveTag(tag: string): boolean {
  return /^[a-z0-9_][a-z0-9_\-+.]*$/i.test(tag);
}

/** `pve-startup-order`: comma-separated `[order=]N`, `up=N`, `down=N`. */
export function isPveStartupOrder(value: string): boolean {
  return value !== '' && value.split(',').every((p) => /^\s*$/.test(p) || /^(order=)?\d+$/.test(p) || /^(up|down)=\d+$/.test(p));
}

/** `mac-addr`: a unicast MAC (the group bit of the first octet clear). */
export function isPveUnicastMac(mac: string): boolean {
  return /^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$/i.test(mac);
}

/** `pve-bridge-id` and an LXC interface `name`. */
export function isPveIfaceName(name: string): boolean {
  return /^[-_.\w]+$/.test(name);
}

/** `pve-storage-id` (parse_id): at least 2 characters, a letter first, no trailing punctuation. */
export function isPveStorageId(id: string): boolean {
  return /^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(id);
}

/** `pve-configid`: a job's or mapping's id (a letter, then letters, digits, '-', '_'). */
export function isPveConfigId(id: string): boolean {
  return /^[a-z][a-z0-9_-]+$/i.test(id);
}

/** `pve-storage-path` (pve-storage's verify_path): absolute, without ';', '(' or ')'. */
export function isPveStoragePath(path: string): boolean {
  return /^\/[^;()]+$/.test(path);
}

const CALENDAR_KEYWORDS = /^(minutely|hourly|daily|weekly|monthly|yearly|annually|quarterly|semiannually|semi-annually)$/;
const WEEKDAY = '(mon|tue|wed|thu|fri|sat|sun)';
const WEEKDAYS = new RegExp(`^${WEEKDAY}(\\.\\.${WEEKDAY})?(,${WEEKDAY}(\\.\\.${WEEKDAY})?)*$`);

/** One field of a calendar event: a comma list of `*`, a value, a range `a..b`, each with an optional repetition `/step`, within [min, max]. */
function isCalendarField(text: string, min: number, max: number): boolean {
  return text.split(',').every((item) => {
    const m = /^(\*|\d{1,4})(?:\.\.(\d{1,4}))?(?:\/(\d{1,4}))?$/.exec(item);
    if (!m) return false;
    const [, from, to, step] = m;
    if (from === '*') return to === undefined && (step === undefined || Number(step) >= 1);
    const a = Number(from);
    const b = to === undefined ? a : Number(to);
    return a >= min && b <= max && a <= b && (step === undefined || Number(step) >= 1);
  });
}

/**
 * A Proxmox calendar event (PVE's vzdump and replication schedules; the grammar is Proxmox's
 * proxmox-time crate, documented in "Calendar Events", pbs.proxmox.com/docs/calendarevents.html,
 * read 2026-12-07): `[WEEKDAY] [[YEARS-]MONTHS-DAYS] [HOURS:MINUTES[:SECONDS]]`, at least one part,
 * in that order; weekdays `mon`..`sun` as a list or range; every other field a comma list of
 * values, ranges `a..b` and repetitions `start/step`, or `*`; a time of one field is its minutes
 * (pvesr's default, every 15 minutes); or one of the keywords (`daily`, `weekly`, ...).
 */
export function isPveCalendarEvent(event: string): boolean {
  if (CALENDAR_KEYWORDS.test(event)) return true;
  const parts = event.split(' ').filter((p) => p !== '');
  if (parts.length === 0 || parts.length > 3 || event !== event.trim()) return false;
  let i = 0;
  if (/^[a-z]/.test(parts[i] ?? '')) {
    if (!WEEKDAYS.test(parts[i]!)) return false;
    i++;
  }
  if (parts[i]?.includes('-')) {
    const date = parts[i]!.split('-');
    const [years, months, days] = date.length === 3 ? date : ['*', ...date];
    if (date.length < 2 || date.length > 3 || !isCalendarField(years!, 1970, 9999) || !isCalendarField(months!, 1, 12) || !isCalendarField(days!, 1, 31)) return false;
    i++;
  }
  if (i < parts.length) {
    const time = parts[i]!.split(':');
    const limits = time.length === 1 ? [59] : [23, 59, 59];
    if (time.length > 3 || !time.every((f, k) => isCalendarField(f, 0, limits[k]!))) return false;
    i++;
  }
  return i === parts.length && i > 0;
}

/** `disk-size`: a number with an optional K/M/G/T(iB) unit. */
export function isPveDiskSize(size: string): boolean {
  return /^(\d+(\.\d+)?)([KMGT](?:iB)?)?$/.test(size);
}

/** `pve-lxc-mp-string` (verify_lxc_mp_string): no `/./`, `/../`, trailing `/.` or `/..`, leading `../`. */
export function isPveLxcMpString(path: string): boolean {
  return !/\/\.\.?\//.test(path) && !/\/\.\.?$/.test(path) && !/^\.\.\//.test(path);
}

/** `pve-lxc-dev-string`: a path under /dev/ without `.`/`..` components. */
export function isPveLxcDevString(path: string): boolean {
  return path.startsWith('/dev/') && !/\/\.\.?(?:\/|$)/.test(path);
}

/** `pve-ipv4-config` as an address: `a.b.c.d/N` with N from 8 to 32 (or dhcp/manual). */
export function isPveIpv4Config(value: string): boolean {
  if (value === 'dhcp' || value === 'manual') return true;
  const m = /^(.+)\/(\d+)$/.exec(value);
  return !!m && ipaddr.IPv4.isValidFourPartDecimal(m[1]!) && Number(m[2]) > 7 && Number(m[2]) <= 32;
}

export function isIpv4(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value);
}

export function isIp(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value);
}

/** True when `address` lies inside `cidr`. */
export function inSubnet(address: string, cidr: string): boolean {
  if (!isIpv4(address) || !ipaddr.IPv4.isValidCIDR(cidr)) return false;
  const [net, bits] = ipaddr.IPv4.parseCIDR(cidr);
  return ipaddr.IPv4.parse(address).match(net, bits);
}

/** A property-string value may not hold `,` (it separates the pairs) nor a line break. */
export function isPropertyValue(value: string): boolean {
  return !/[,\n\r]/.test(value);
}

// Raw `lxc.*` keys pve-container accepts ($valid_lxc_conf_keys and is_valid_lxc_conf_key).
const RAW_LXC_KEYS = new Set([
  'lxc.apparmor.profile', 'lxc.apparmor.allow_incomplete', 'lxc.apparmor.allow_nesting', 'lxc.apparmor.raw',
  'lxc.selinux.context', 'lxc.include', 'lxc.arch', 'lxc.uts.name', 'lxc.signal.halt', 'lxc.signal.reboot',
  'lxc.signal.stop', 'lxc.init.cmd', 'lxc.init.cwd', 'lxc.init.uid', 'lxc.init.gid', 'lxc.init.groups',
  'lxc.pty.max', 'lxc.console.logfile', 'lxc.console.path', 'lxc.tty.max', 'lxc.devtty.dir', 'lxc.hook.autodev',
  'lxc.autodev', 'lxc.kmsg', 'lxc.mount.fstab', 'lxc.mount.entry', 'lxc.mount.auto', 'lxc.rootfs.mount',
  'lxc.cap.drop', 'lxc.cap.keep', 'lxc.seccomp.profile', 'lxc.seccomp.notify.proxy', 'lxc.seccomp.notify.cookie',
  'lxc.idmap', 'lxc.hook.pre-start', 'lxc.hook.pre-mount', 'lxc.hook.mount', 'lxc.hook.start', 'lxc.hook.stop',
  'lxc.hook.post-stop', 'lxc.hook.clone', 'lxc.hook.destroy', 'lxc.hook.version', 'lxc.log.level', 'lxc.log.file',
  'lxc.start.auto', 'lxc.start.delay', 'lxc.start.order', 'lxc.group', 'lxc.environment', 'lxc.environment.runtime',
  'lxc.environment.hooks', 'lxc.sysctl.fs.mqueue', 'lxc.sysctl.kernel.msgmax', 'lxc.sysctl.kernel.msgmnb',
  'lxc.sysctl.kernel.msgmni', 'lxc.sysctl.kernel.sem', 'lxc.sysctl.kernel.shmall', 'lxc.sysctl.kernel.shmmax',
  'lxc.sysctl.kernel.shmmni', 'lxc.sysctl.kernel.shm_rmid_forced',
]);

/**
 * Why pve-container would not take a raw key as is (undefined when it would). Keys it only warns
 * about (cgroup v1, lxc.limit.*, pre-3.0 names) count as refused here: each has a current name.
 */
export function rawLxcKeyProblem(key: string): string | undefined {
  if (!/^lxc\.[a-z0-9_\-.]+$/.test(key)) return 'is not an lxc.* key Proxmox can parse';
  if (key === 'lxc.rootfs.path') return 'is generated by Proxmox from rootfs';
  if (key === 'lxc.rootfs.options') return 'is not supported; use the rootfs mount options';
  if (key.startsWith('lxc.limit.')) return 'was renamed to lxc.prlimit.*';
  if (key.startsWith('lxc.cgroup.')) return 'is cgroup v1, which Proxmox VE no longer runs; use lxc.cgroup2.*';
  if (key.startsWith('lxc.sysctl.net.')) return 'is not allowed (only IPC sysctls are); set network sysctls inside the container';
  if (RAW_LXC_KEYS.has(key) || /^lxc\.(cgroup2|prlimit|net)\./.test(key)) return undefined;
  return 'is not a key pve-container accepts (src/PVE/LXC/Config.pm, $valid_lxc_conf_keys)';
}
