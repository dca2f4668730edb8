import { decodeText, parseGuestConf, type GuestConf } from '../proxmox/conf.js';
import type { Dialect } from '../proxmox/dialects.js';
import { parseProperty, sameProperty, withoutKeys } from '../proxmox/property-string.js';
import { isAllocation, requestedBytes, storageOf } from '../proxmox/volumes.js';
import type { DriftItem } from './item.js';

/**
 * What `pct config <id>` / `qm config <id>` print, read like the file: they print the options
 * sorted, without `digest`, the description as one `description:` option (encoded as in the
 * file), raw `lxc.*` lines last. A file's `#` description lines are read too.
 */
export function parsePrintedConfig(text: string): GuestConf {
  const conf = parseGuestConf(text);
  const printed = conf.options.get('description');
  if (printed === undefined) return conf;
  const options = new Map(conf.options);
  options.delete('description');
  return { description: decodeText(printed), options, raw: conf.raw };
}

/** A volume as drift compares it: where it lives (its volume id, or just the storage for an allocation), its size, its other options. */
function sameVolume(want: string, have: string): boolean {
  const w = parseProperty(want);
  const h = parseProperty(have);
  const where = isAllocation(w.head) ? storageOf(w.head) === storageOf(h.head) : w.head === h.head;
  return where && requestedBytes(w) === requestedBytes(h) && sameProperty({ keys: withoutKeys(w, ['size']).keys }, { keys: withoutKeys(h, ['size']).keys });
}

function sameOption(d: Dialect, key: string, want: string, have: string): boolean {
  if (d.isVolume(key, want)) return sameVolume(want, have);
  const net = d.splitNet(key, want);
  if (net) {
    const hostNet = d.splitNet(key, have)!;
    return sameProperty(net.p, hostNet.p) && (net.mac === undefined || net.mac === hostNet.mac);
  }
  // The cloud-init drive: Proxmox may add its size.
  if (d.createValue?.(key, want)) return sameProperty(withoutKeys(parseProperty(want), ['size']), withoutKeys(parseProperty(have), ['size']));
  return want === have;
}

export interface GuestDriftInput {
  readonly host: string;
  readonly dialect: Dialect;
  readonly vmid: number;
  /** The rendered file (dist/proxmox/<vmid>.conf of the guest's host). */
  readonly desired: string;
  /** What `pct config` / `qm config` printed; undefined when the guest does not exist. */
  readonly printed: string | undefined;
  /** Options set outside the file on purpose (a VM's sshkeys, set from a secret): not compared. */
  readonly ignore?: readonly string[];
}

const absent = '(not set)';

/** The guest's options on the node against the rendered file, one item per option that differs. */
export function guestDrift(input: GuestDriftInput): DriftItem[] {
  const { host, dialect: d, vmid } = input;
  const base = `guests/${vmid}`;
  if (input.printed === undefined) return [{ code: 'drift-guest-missing', host, what: base, expected: `${d.noun} ${vmid}`, actual: 'none on the node' }];
  const want = parseGuestConf(input.desired);
  const have = parsePrintedConfig(input.printed);
  const ignore = new Set(input.ignore ?? []);
  const items: DriftItem[] = [];
  const item = (key: string, expected: string | undefined, actual: string | undefined) =>
    items.push({ code: 'drift-guest-option', host, what: `${base}/${key}`, expected: expected ?? absent, actual: actual ?? absent });
  const keys = [...new Set([...want.options.keys(), ...have.options.keys()])].sort();
  for (const key of keys) {
    if (d.isAuto(key) || ignore.has(key)) continue;
    const w = want.options.get(key);
    const h = have.options.get(key);
    if (w === undefined || h === undefined) {
      if (w !== h) item(key, w, h);
    } else if (!sameOption(d, key, w, h)) item(key, w, h);
  }
  // Proxmox keeps a newline after each description line; the rendered file's lines have none.
  const text = (d?: string) => (d ?? '').replace(/\n+$/, '');
  if (text(want.description) !== text(have.description)) item('description', want.description, have.description);
  const raw = (c: GuestConf) => c.raw.map(([k, v]) => `${k}: ${v}`).join('; ');
  if (raw(want) !== raw(have)) item('lxc', raw(want) || undefined, raw(have) || undefined);
  return items;
}
