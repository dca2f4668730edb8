/**
 * A read-only tar reader for image layers: ustar with pax (`x`/`g`) and GNU long-name (`L`/`K`)
 * headers, which is what image builders write. Small on purpose: it streams, keeps the content of
 * only the entries asked for, and skips the rest.
 */
export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'directory' | 'other';

export interface TarEntry {
  /** The path without a leading `./` or `/`, and without a trailing `/`. */
  readonly path: string;
  readonly type: TarEntryType;
  readonly mode: number;
  /** A link's target: for a symlink as written, for a hardlink a path in the archive. */
  readonly linkname: string;
  readonly size: number;
  /** The content, only for files `keep(path)` asked for. */
  readonly data?: Buffer;
}

const BLOCK = 512;

/** Buffers an async stream of chunks so that whole blocks can be taken from it. */
class Blocks {
  private chunks: Buffer[] = [];
  private length = 0;
  private done = false;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(n: number): Promise<boolean> {
    while (this.length < n && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else {
        const chunk = Buffer.from(next.value);
        this.chunks.push(chunk);
        this.length += chunk.length;
      }
    }
    return this.length >= n;
  }

  /** Exactly n bytes, or undefined at the end of the stream. */
  async take(n: number): Promise<Buffer | undefined> {
    if (!(await this.fill(n))) return undefined;
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.length -= n;
    return all.subarray(0, n);
  }

  /** Bytes taken in but not yet handed out. */
  get buffered(): number {
    return this.length;
  }

  /** Reads the rest of the stream (so that a hash over it is whole). */
  async drain(): Promise<void> {
    this.chunks = [];
    this.length = 0;
    while (!this.done) if ((await this.source.next()).done) this.done = true;
  }

  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.length === 0 && !(await this.fill(1))) return false;
      const first = this.chunks[0]!;
      if (first.length <= left) {
        this.chunks.shift();
        this.length -= first.length;
        left -= first.length;
      } else {
        this.chunks[0] = first.subarray(left);
        this.length -= left;
        left = 0;
      }
    }
    return true;
  }
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? length : nul).toString('utf8');
}

/** A numeric field: octal text, or GNU's base-256 (high bit set) for large values. */
export function tarNumber(block: Buffer, start: number, length: number): number {
  const field = block.subarray(start, start + length);
  if (field[0]! & 0x80) {
    let value = field[0]! & 0x7f;
    for (const byte of field.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const digits = text(block, start, length).trim();
  return digits === '' ? 0 : parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === tarNumber(block, 148, 8);
}

/** The records of a pax header: `<length> <key>=<value>\n`. */
export function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.subarray(at, space).toString('ascii'));
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return records;
}

/** `./usr/bin/` → `usr/bin`: the form every entry's path is compared in. */
export function normalTarPath(name: string): string {
  return name.replace(/^(\.?\/)+/, '').replace(/\/+$/, '');
}

const TYPES: Record<string, TarEntryType> = { '0': 'file', '\0': 'file', '': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink', '5': 'directory' };

/** The entries of a tar stream, in order; it reads the stream to its end. Throws on a block that is not a tar header. */
export async function* readTar(source: AsyncIterable<Uint8Array>, keep: (path: string) => boolean = () => false): AsyncGenerator<TarEntry> {
  const blocks = new Blocks(source[Symbol.asyncIterator]());
  let pax: Record<string, string> = {};
  let global: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const header = await blocks.take(BLOCK);
    if (!header && blocks.buffered > 0) throw new Error('not a tar archive (it ends inside a header block)');
    if (!header || header.every((b) => b === 0)) {
      await blocks.drain();
      return;
    }
    if (!checksumOk(header)) throw new Error('not a tar archive (a header block fails its checksum)');
    const flag = String.fromCharCode(header[156]!);
    const local = { ...global, ...pax };
    const size = local.size !== undefined ? Number(local.size) : tarNumber(header, 124, 12);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      const data = await blocks.take(padded);
      if (!data) throw new Error('tar archive ends inside a header');
      const body = data.subarray(0, size);
      if (flag === 'x') pax = paxRecords(body);
      else if (flag === 'g') global = { ...global, ...paxRecords(body) };
      else if (flag === 'L') longName = text(body, 0, body.length);
      else longLink = text(body, 0, body.length);
      continue;
    }
    const prefix = text(header, 257, 6) === 'ustar' ? text(header, 345, 155) : '';
    const name = local.path ?? longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    const linkname = local.linkpath ?? longLink ?? text(header, 157, 100);
    pax = {};
    longName = undefined;
    longLink = undefined;
    const path = normalTarPath(name);
    const type = TYPES[flag] ?? 'other';
    let data: Buffer | undefined;
    if (type === 'file' && keep(path)) {
      const block = await blocks.take(padded);
      if (!block) throw new Error(`tar archive ends inside ${path}`);
      data = Buffer.from(block.subarray(0, size));
    } else if (!(await blocks.skip(padded))) {
      throw new Error(`tar archive ends inside ${path}`);
    }
    yield { path, type, mode: tarNumber(header, 100, 8) & 0o7777, linkname, size, ...(data ? { data } : {}) };
  }
}
