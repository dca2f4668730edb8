/**
 * The settable properties of a ZFS file system, as zfsprops(7) of OpenZFS 2.x lists them:
 * which values each takes, which can only be set when the dataset is created, and which a
 * child inherits. User properties (`module:name`) take any single-line value.
 */
export interface PropertyRule {
  /** The values it accepts (after aliases), or a test for them. */
  readonly accepts: readonly string[] | RegExp | 'size' | 'quota' | 'path';
  /** Other spellings zfs accepts and what `zfs get` reports for them. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Fixed when the dataset is created (zfsprops: "cannot be changed after the file system is created"). */
  readonly creationOnly?: boolean;
  /** A child does not inherit it (quotas, reservations, canmount, mountpoint as we compare it). */
  readonly notInherited?: boolean;
}

const ON_OFF = ['on', 'off'];

export const ZFS_PROPERTIES: Readonly<Record<string, PropertyRule>> = {
  aclinherit: { accepts: ['discard', 'noallow', 'restricted', 'passthrough', 'passthrough-x'] },
  aclmode: { accepts: ['discard', 'groupmask', 'passthrough', 'restricted'] },
  acltype: { accepts: ['off', 'nfsv4', 'posix'], aliases: { noacl: 'off', disabled: 'off', posixacl: 'posix' } },
  atime: { accepts: ON_OFF },
  canmount: { accepts: ['on', 'off', 'noauto'], notInherited: true },
  casesensitivity: { accepts: ['sensitive', 'insensitive', 'mixed'], creationOnly: true },
  checksum: { accepts: ['on', 'off', 'fletcher2', 'fletcher4', 'sha256', 'noparity', 'sha512', 'skein', 'edonr', 'blake3'] },
  compression: { accepts: /^(on|off|lzjb|lz4|zle|gzip(-[1-9])?|zstd(-(1[0-9]|[1-9]))?|zstd-fast(-([1-9]|10|[2-9]0|100|500|1000))?)$/ },
  copies: { accepts: ['1', '2', '3'] },
  dedup: { accepts: /^(off|on|verify|(sha256|sha512|skein|blake3)(,verify)?|edonr,verify)$/ },
  devices: { accepts: ON_OFF },
  dnodesize: { accepts: ['legacy', 'auto', '1k', '2k', '4k', '8k', '16k'] },
  encryption: { accepts: /^(off|on|aes-(128|192|256)-(ccm|gcm))$/, creationOnly: true },
  exec: { accepts: ON_OFF },
  keyformat: { accepts: ['raw', 'hex', 'passphrase'], creationOnly: true },
  logbias: { accepts: ['latency', 'throughput'] },
  mountpoint: { accepts: 'path', notInherited: true },
  normalization: { accepts: ['none', 'formC', 'formD', 'formKC', 'formKD'], creationOnly: true },
  overlay: { accepts: ON_OFF },
  primarycache: { accepts: ['all', 'none', 'metadata'] },
  quota: { accepts: 'quota', notInherited: true },
  readonly: { accepts: ON_OFF },
  recordsize: { accepts: 'size' },
  redundant_metadata: { accepts: ['all', 'most', 'some', 'none'] },
  refquota: { accepts: 'quota', notInherited: true },
  refreservation: { accepts: 'quota', notInherited: true },
  relatime: { accepts: ON_OFF },
  reservation: { accepts: 'quota', notInherited: true },
  secondarycache: { accepts: ['all', 'none', 'metadata'] },
  setuid: { accepts: ON_OFF },
  snapdir: { accepts: ['disabled', 'hidden', 'visible'] },
  special_small_blocks: { accepts: 'quota' },
  sync: { accepts: ['standard', 'always', 'disabled'] },
  utf8only: { accepts: ON_OFF, creationOnly: true },
  xattr: { accepts: ['on', 'off', 'dir', 'sa'] },
};

/** A user property: `module:name` (zfsprops "User Properties"). */
export function isUserProperty(name: string): boolean {
  return /^[a-z0-9][a-z0-9_.:-]*:[a-z0-9_.:-]+$/.test(name) && name.length <= 256;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50 };

/** "128K" -> 131072, "1M" -> 1048576, "4096" -> 4096; undefined when it is not a size. */
export function parseSize(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGTP]?)(?:i?B)?$/i.exec(value);
  if (!m) return undefined;
  const bytes = Number(m[1]) * UNITS[m[2]!.toUpperCase()]!;
  return Number.isInteger(bytes) ? bytes : undefined;
}

/** The rule for a property, or undefined when zfs does not know it (user properties excepted). */
export function propertyRule(name: string): PropertyRule | undefined {
  return Object.hasOwn(ZFS_PROPERTIES, name) ? ZFS_PROPERTIES[name] : undefined;
}

/** Why `value` is not valid for `name`, or undefined when it is. */
export function propertyValueProblem(name: string, value: string): string | undefined {
  if (isUserProperty(name)) return /^[^\t\n\r]{1,8191}$/.test(value) ? undefined : 'a user property value is one line of at most 8191 characters';
  const rule = propertyRule(name);
  if (!rule) return undefined;
  const v = rule.aliases?.[value] ?? value;
  const { accepts } = rule;
  if (accepts === 'size') {
    const bytes = parseSize(value);
    const ok = bytes !== undefined && bytes >= 512 && bytes <= 16 * 2 ** 20 && (bytes & (bytes - 1)) === 0;
    return ok ? undefined : 'a power of two from 512 to 16M (e.g. 128K, 1M)';
  }
  if (accepts === 'quota') return v === 'none' || parseSize(value) !== undefined ? undefined : 'a size (e.g. 500G) or none';
  if (accepts === 'path') return /^(none|legacy|\/[^\t\n\r]*)$/.test(v) ? undefined : 'an absolute path, none or legacy';
  if (accepts instanceof RegExp) return accepts.test(v) ? undefined : `one of the values zfsprops(7) lists for ${name}`;
  return accepts.includes(v) ? undefined : `one of ${accepts.join(', ')}`;
}

/**
 * The value as `zfs get -H -p` reports it, so a wanted value compares with what the host says:
 * sizes in bytes, "none" quotas as 0, aliases by their canonical name.
 */
export function normalizeValue(name: string, value: string): string {
  const rule = propertyRule(name);
  if (!rule) return value;
  if (rule.accepts === 'size' || rule.accepts === 'quota') {
    if (value === 'none') return '0';
    const bytes = parseSize(value);
    return bytes === undefined ? value : String(bytes);
  }
  return rule.aliases?.[value] ?? value;
}

export function isCreationOnly(name: string): boolean {
  return propertyRule(name)?.creationOnly === true;
}

export function isInherited(name: string): boolean {
  return propertyRule(name)?.notInherited !== true;
}
