import { createRequire } from 'node:module';
import type * as YamlModule from 'yaml';

// Loaded on first use: `homelab validate` never serializes, so it never pays for the parser.
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

/** Deterministic YAML: the caller fixes key order; no line folding; no anchors. */
export function toYaml(value: unknown, options: YamlOptions = {}): string {
  const { Document, isScalar, isSeq, visit } = yaml();
  const doc = new Document(value, { aliasDuplicateObjects: false });
  // YAML 1.2 writes the string "yes" plain; a YAML 1.1 reader would see true.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && YAML11_BOOLEAN.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  const quoted = new Set(options.quoteItemsOf ?? []);
  if (quoted.size > 0) {
    visit(doc, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && quoted.has(String(pair.key.value)) && isSeq(pair.value)) {
          for (const item of pair.value.items) {
            if (isScalar(item) && typeof item.value === 'string') item.type = 'QUOTE_SINGLE';
          }
        }
      },
    });
  }
  if (options.header?.length) doc.commentBefore = options.header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0, indentSeq: true });
}

/** Parse YAML text (for tests and plan diffs). */
export function parseYaml(text: string): unknown {
  return yaml().parse(text);
}
