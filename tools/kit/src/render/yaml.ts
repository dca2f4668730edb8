import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';
import { blockYaml, type BlockYamlOptions } from './yaml-block.js';

// Loaded on first use: `homelab validate` never serializes, so it never pays for the package.
const require = createRequire(import.meta.url);
let yamlModule: typeof YamlModule | undefined;
function yaml(): typeof YamlModule {
  yamlModule ??= require('yaml') as typeof YamlModule;
  return yamlModule;
}

export interface YamlOptions {
  /** Comment lines put at the top of the file. */
  readonly header?: readonly string[];
  /** Keys whose sequence items are always quoted (compose ports: "a:b" reads as base 60 in YAML 1.1). */
  readonly quoteItemsOf?: readonly string[];
}

/** Plain scalars a YAML 1.1 reader (PyYAML: docker-compose v1, cloud-init) takes for booleans, not strings. */
const YAML11_BOOLEAN = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** True when a plain string would read back as another type: the `yaml` package's own core-schema tests. */
let readsAsOther: ((value: string) => boolean) | undefined;
function blockOptions(options: YamlOptions): BlockYamlOptions {
  if (!readsAsOther) {
    const tags = new (yaml().Document)(null).schema.tags as { default?: boolean; tag: string; test?: RegExp }[];
    const tests = tags.filter((t) => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test).map((t) => t.test!);
    // One alternation of yaml's tests: one match per string instead of one per tag.
    const one = tests.every((t) => t.flags === '') ? new RegExp(tests.map((t) => `(?:${t.source})`).join('|')) : undefined;
    readsAsOther = one ? (value) => one.test(value) : (value) => tests.some((t) => t.test(value));
  }
  return { ...options, yaml11Boolean: YAML11_BOOLEAN, readsAsOther };
}

/** toYaml written directly (yaml-block.ts); undefined for what only the `yaml` package writes. */
export function directYaml(value: unknown, options: YamlOptions = {}): string | undefined {
  return blockYaml(value, blockOptions(options));
}

/** Deterministic YAML: the caller fixes key order; no line folding; no anchors. */
export function toYaml(value: unknown, options: YamlOptions = {}): string {
  return directYaml(value, options) ?? yamlPackageToYaml(value, options);
}

/** toYaml through the `yaml` package's document tree: what blockYaml must equal, and its fallback. */
export function yamlPackageToYaml(value: unknown, options: YamlOptions = {}): string {
  const { Document, isMap, isScalar, isSeq } = yaml();
  const doc = new Document(value, { aliasDuplicateObjects: false });
  const quoted = new Set(options.quoteItemsOf ?? []);
  // YAML 1.2 writes the string "yes" plain, a YAML 1.1 reader would see true, so such strings are
  // double-quoted; the string items of the `quoteItemsOf` sequences single-quoted.
  const walk = (node: unknown, quoteItems: boolean): void => {
    if (isScalar(node)) {
      if (typeof node.value === 'string' && YAML11_BOOLEAN.test(node.value)) node.type = 'QUOTE_DOUBLE';
    } else if (isMap(node)) {
      for (const pair of node.items) {
        walk(pair.key, false);
        walk(pair.value, isScalar(pair.key) && quoted.has(String(pair.key.value)));
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        walk(item, false);
        if (quoteItems && isScalar(item) && typeof item.value === 'string') item.type = 'QUOTE_SINGLE';
      }
    }
  };
  walk(doc.contents, false);
  if (options.header?.length) doc.commentBefore = options.header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0, indentSeq: true });
}

/** Parse YAML text (for tests and plan diffs). */
export function parseYaml(text: string): unknown {
  return yaml().parse(text);
}
