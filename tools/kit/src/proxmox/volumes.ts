import { formatProperty, parseProperty, withoutKeys, type PropertyString } from './property-string.js';

/** `local-zfs:8`: a new volume of 8 GiB on that storage (what create and set take). */
const ALLOCATION = /^([^:\s/]+):(\d+(?:\.\d+)?)$/;
const DISK_SIZE = /^(\d+(?:\.\d+)?)([KMGT](?:iB)?)?$/;
const UNIT: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** Bytes of a `size=` value (8G, 512M, 1T; no unit = bytes). */
export function sizeBytes(size: string): number | undefined {
  const m = DISK_SIZE.exec(size);
  if (!m) return undefined;
  return Number(m[1]) * UNIT[(m[2] ?? '').replace('iB', '')]!;
}

export function isAllocation(volume: string | undefined): boolean {
  return volume !== undefined && ALLOCATION.test(volume);
}

/** An absolute path (a bind mount, or a device): nothing to allocate. */
export function isPathVolume(volume: string | undefined): boolean {
  return volume !== undefined && volume.startsWith('/');
}

export function storageOf(volume: string | undefined): string | undefined {
  return volume && !volume.startsWith('/') ? volume.split(':')[0] : undefined;
}

/**
 * The size a volume value asks for, in bytes: `storage:N` is N GiB; a volume id carries `size=`.
 * Undefined for bind mounts and values without a size.
 */
export function requestedBytes(p: PropertyString): number | undefined {
  const alloc = p.head !== undefined ? ALLOCATION.exec(p.head) : null;
  if (alloc) return Number(alloc[2]) * 1024 ** 3;
  const size = p.keys.get('size');
  return size ? sizeBytes(size) : undefined;
}

/** `16G` for 16 GiB: what `pct resize` / `qm resize` take. */
export function gibString(bytes: number): string {
  return `${Math.ceil(bytes / 1024 ** 3)}G`;
}

/**
 * The value create (or set, for a new disk) takes: a volume id of the rendered file
 * (`local-zfs:vm-122-disk-0,size=64G`) becomes an allocation (`local-zfs:64`); bind mounts,
 * allocations and `import-from` values pass as they are; `size=` (informational) is dropped.
 */
export function allocationValue(value: string): string {
  const p = parseProperty(value);
  if (isPathVolume(p.head) || isAllocation(p.head) || p.keys.has('import-from')) return formatProperty(withoutKeys(p, p.keys.has('import-from') ? [] : ['size']));
  const storage = storageOf(p.head);
  const bytes = requestedBytes(p);
  if (!storage || bytes === undefined) return value;
  return formatProperty({ head: `${storage}:${Math.max(1, Math.ceil(bytes / 1024 ** 3))}`, keys: withoutKeys(p, ['size']).keys });
}
