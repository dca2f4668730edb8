/**
 * A guest's configuration as Proxmox writes it in /etc/pve/lxc/<vmid>.conf and
 * /etc/pve/qemu-server/<vmid>.conf: `key: value` lines, the description as leading `#` lines
 * (URI-encoded), raw `lxc.*` lines (containers), then `[snapshot]` / `[pve:pending]` sections,
 * which deploy neither reads nor writes.
 */
export interface GuestConf {
  readonly description?: string;
  /** Options of the main section, in file order. */
  readonly options: ReadonlyMap<string, string>;
  /** Raw `lxc.*` lines of the main section, in file order ([key, value]); keys may repeat. */
  readonly raw: readonly (readonly [string, string])[];
}

const OPTION = /^([a-z][a-z_-]*\d*):\s*(.+?)\s*$/;
const RAW = /^(lxc\.[a-z0-9_.-]+)(?::|\s*=)\s*(.*?)\s*$/;

/** Proxmox's encode_text reversed: %XX escapes (of %, :, control and non-ASCII bytes) as UTF-8. */
export function decodeText(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function parseGuestConf(text: string): GuestConf {
  const options = new Map<string, string>();
  const raw: [string, string][] = [];
  const description: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) break;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      description.push(decodeText(line.slice(1)));
      continue;
    }
    const r = RAW.exec(line);
    if (r) {
      raw.push([r[1]!, r[2]!]);
      continue;
    }
    const m = OPTION.exec(line);
    if (m) options.set(m[1]!, m[2]!);
  }
  return { ...(description.length > 0 ? { description: description.join('\n') } : {}), options, raw };
}
