/**
 * A direct writer for the YAML the renderers produce: block maps and sequences of plain objects,
 * arrays, printable-ASCII strings (multi-line ones as literal blocks), finite numbers, booleans and null. It writes the
 * same bytes the `yaml` package writes for toYaml's options (lineWidth 0, indentSeq, no anchors),
 * at a fraction of the cost: building and printing yaml's node tree was most of rendering a large
 * lab (3.5 s of 4 s for 20,000 services). For anything else (a non-ASCII character, a tab,
 * a document marker, a Map, a circular value) it answers undefined and toYaml asks `yaml` itself.
 * test/yaml.test.ts holds it to the package's output, value by value.
 */

/** How toYaml marks strings: as the `yaml` package's tree would carry them after toYaml's walk. */
export interface BlockYamlOptions {
  /** Comment lines put at the top of the file. */
  readonly header?: readonly string[];
  /** Keys whose sequence items are single-quoted. */
  readonly quoteItemsOf?: readonly string[];
  /** Strings a YAML 1.1 reader takes for booleans: double-quoted. */
  readonly yaml11Boolean: RegExp;
  /** True when a plain string would read back as another type (yaml's own core-schema tests). */
  readonly readsAsOther: (value: string) => boolean;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const PRINTABLE_LINES = /^[\x20-\x7e\n]*$/;
// yaml's plainString: what a plain scalar cannot start with, contain or end with.
const PLAIN_UNSAFE = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** yaml writes a longer key as an explicit `? key`; left to yaml. */
const MAX_KEY = 1000;
const MAX_DEPTH = 64;

type Style = 'plain' | 'double' | 'single';

/**
 * A multi-line value as yaml's blockString writes it with lineWidth 0: a literal block, `|-` when
 * the text has no final line break, `|` when it has exactly one. Text that starts with a space or
 * a line break, or ends in blanks or several line breaks, needs indentation or keep indicators:
 * left to yaml.
 */
function literalBlock(value: string, indent: string): string | undefined {
  if (/^[ \n]|[ \n]\n$|[ ]$/.test(value)) return undefined;
  const clip = value.endsWith('\n');
  const text = clip ? value.slice(0, -1) : value;
  return `|${clip ? '' : '-'}\n${indent}${text.replace(/\n+/g, `$&${indent}`)}`;
}

/** A string scalar as yaml writes it (JSON.stringify is yaml's double-quoting for printable ASCII). */
function stringScalar(value: string, style: Style, options: BlockYamlOptions, indent: string | undefined): string | undefined {
  if (DOCUMENT_MARKER.test(value)) return undefined;
  if (!PRINTABLE_ASCII.test(value)) {
    // A value (never a key) with line breaks, written plain or by default: a literal block.
    return indent !== undefined && style === 'plain' && PRINTABLE_LINES.test(value) ? literalBlock(value, indent) : undefined;
  }
  const single = () => `'${value.replace(/'/g, "''")}'`;
  if (style === 'single') return single();
  if (style === 'double') return JSON.stringify(value);
  if (!PLAIN_UNSAFE.test(value) && !options.readsAsOther(value)) return value;
  // yaml's quotedString: single quotes only when that avoids escaping a double quote.
  return value.includes('"') && !value.includes("'") ? single() : JSON.stringify(value);
}

/** A scalar; `indent` is where a value's block lines go, undefined for a key. */
function scalar(value: unknown, style: Style, options: BlockYamlOptions, indent: string | undefined): string | undefined {
  switch (typeof value) {
    case 'string':
      return stringScalar(value, style === 'plain' && options.yaml11Boolean.test(value) ? 'double' : style, options, indent);
    case 'number':
      if (!Number.isFinite(value)) return undefined;
      return Object.is(value, -0) ? '-0' : JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return value === null ? 'null' : undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** yaml skips undefined values of a map (keepUndefined is off). */
function entriesOf(map: Record<string, unknown>): [string, unknown][] {
  return Object.keys(map)
    .filter((k) => map[k] !== undefined)
    .map((k) => [k, map[k]]);
}

interface Writer {
  readonly options: BlockYamlOptions;
  readonly quotedKeys: ReadonlySet<string>;
}

/**
 * A value as yaml's stringify returns it at `indent`: a collection's first line unindented, the
 * following ones indented; an empty collection as {} or [].
 */
function node(w: Writer, value: unknown, indent: string, depth: number, itemStyle: Style): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const lines: string[] = [];
    for (const item of value) {
      const text = node(w, item, `${indent}  `, depth + 1, 'plain');
      if (text === undefined) return undefined;
      // toYaml quotes the string items of the listed keys' sequences, and nothing inside them.
      const quoted = itemStyle === 'single' && typeof item === 'string' ? stringScalar(item, 'single', w.options, undefined) : text;
      if (quoted === undefined) return undefined;
      lines.push(`- ${quoted}`);
    }
    return lines.join(`\n${indent}`);
  }
  if (isPlainObject(value)) {
    const entries = entriesOf(value);
    if (entries.length === 0) return '{}';
    const lines: string[] = [];
    for (const [key, v] of entries) {
      if (key.length > MAX_KEY) return undefined;
      const k = scalar(key, 'plain', w.options, undefined);
      if (k === undefined) return undefined;
      const inner = `${indent}  `;
      const text = node(w, v, inner, depth + 1, w.quotedKeys.has(key) ? 'single' : 'plain');
      if (text === undefined) return undefined;
      const block = (Array.isArray(v) && v.length > 0) || (isPlainObject(v) && entriesOf(v).length > 0);
      lines.push(block ? `${k}:\n${inner}${text}` : `${k}: ${text}`);
    }
    return lines.join(`\n${indent}`);
  }
  if (value === undefined) return undefined; // yaml writes an undefined item as null; left to yaml
  return scalar(value, 'plain', w.options, indent);
}

/** The whole file (header comment, a blank line, the document), or undefined when yaml must write it. */
export function blockYaml(value: unknown, options: BlockYamlOptions): string | undefined {
  if (!isPlainObject(value) && !Array.isArray(value)) return undefined;
  const body = node({ options, quotedKeys: new Set(options.quoteItemsOf ?? []) }, value, '', 0, 'plain');
  if (body === undefined) return undefined;
  if (!options.header?.length) return `${body}\n`;
  // yaml's stringifyComment and indentComment, for the comment before the document.
  const comment = options.header.map((l) => ` ${l}`).join('\n').replace(/^(?!$)(?: $)?/gm, '#');
  return `${/^\n+$/.test(comment) ? comment.substring(1) : comment}\n\n${body}\n`;
}
