/** What `zfs list -H -o name,type` reports: dataset name -> type (filesystem, volume). */
export type ZfsListing = ReadonlyMap<string, string>;

/** One property of one dataset as `zfs get -H -p -o name,property,value,source` reports it. */
export interface ZfsPropertyValue {
  readonly value: string;
  /** `local`, `default`, `inherited from <dataset>`, `received`, `temporary` or `-`. */
  readonly source: string;
}

/** dataset -> property -> value and source. */
export type ZfsProperties = ReadonlyMap<string, ReadonlyMap<string, ZfsPropertyValue>>;

export interface Parsed<T> {
  readonly value: T;
  /** Lines that are not in the expected shape, with their 1-based number. */
  readonly unreadable: readonly { line: number; text: string }[];
}

function lines(output: string): { line: number; text: string }[] {
  return output
    .split('\n')
    .map((text, i) => ({ line: i + 1, text: text.replace(/\r$/, '') }))
    .filter((l) => l.text !== '');
}

/** Parses `zfs list -H -o name,type` (tab-separated, no header). */
export function parseZfsList(output: string): Parsed<ZfsListing> {
  const value = new Map<string, string>();
  const unreadable: { line: number; text: string }[] = [];
  for (const l of lines(output)) {
    const fields = l.text.split('\t');
    if (fields.length !== 2 || !fields[0] || !fields[1]) unreadable.push(l);
    else value.set(fields[0], fields[1]);
  }
  return { value, unreadable };
}

/** Parses `zfs get -H -p -o name,property,value,source` (tab-separated; a value may hold spaces). */
export function parseZfsGet(output: string): Parsed<ZfsProperties> {
  const value = new Map<string, Map<string, ZfsPropertyValue>>();
  const unreadable: { line: number; text: string }[] = [];
  for (const l of lines(output)) {
    const fields = l.text.split('\t');
    const [name, property, val, source] = fields;
    if (fields.length !== 4 || !name || !property || val === undefined || !source) {
      unreadable.push(l);
      continue;
    }
    const props = value.get(name) ?? new Map<string, ZfsPropertyValue>();
    value.set(name, props);
    props.set(property, { value: val, source });
  }
  return { value, unreadable };
}
