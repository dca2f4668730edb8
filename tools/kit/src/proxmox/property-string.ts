/**
 * A Proxmox property string, `default,key=value,key=value` (net0, rootfs, scsi0, ...): the part
 * without `=` is the value of the format's default key.
 */
export interface PropertyString {
  readonly head?: string;
  readonly keys: ReadonlyMap<string, string>;
}

export function parseProperty(value: string): PropertyString {
  const keys = new Map<string, string>();
  let head: string | undefined;
  for (const part of value.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0 && head === undefined) head = part;
    else if (eq < 0) keys.set(part, '');
    else keys.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return { ...(head !== undefined ? { head } : {}), keys };
}

/** Head first, then keys in the order given (callers keep the file's order). */
export function formatProperty(p: PropertyString): string {
  return [...(p.head !== undefined ? [p.head] : []), ...[...p.keys].map(([k, v]) => `${k}=${v}`)].join(',');
}

export function withoutKeys(p: PropertyString, drop: readonly string[]): PropertyString {
  return { ...(p.head !== undefined ? { head: p.head } : {}), keys: new Map([...p.keys].filter(([k]) => !drop.includes(k))) };
}

/** Equal as sets of key=value (order carries no meaning in a property string). */
export function sameProperty(a: PropertyString, b: PropertyString): boolean {
  if (a.head !== b.head || a.keys.size !== b.keys.size) return false;
  for (const [k, v] of a.keys) if (b.keys.get(k) !== v) return false;
  return true;
}
