import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';

/**
 * HuJSON, the tailnet policy file's syntax: JSON with `//` and `/* *\/` comments and trailing
 * commas, nothing else (tailscale/hujson README, "JWCC"). Read with Microsoft's jsonc-parser,
 * which otherwise forgives what HuJSON refuses: every error it reports is an error here.
 */
export function parseHujson(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const e = errors[0]!;
    const line = text.slice(0, e.offset).split('\n').length;
    throw new Error(`line ${line}: ${printParseErrorCode(e.error)}`);
  }
  return value;
}

const strings = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
/** A tag as Tailscale takes it (tailcfg.CheckTag). */
const tag = '^tag:[A-Za-z][A-Za-z0-9-]*$';
/** An `ip` entry of a grant: `*`, a port or range (any protocol), or `proto:ports` (headscale hscontrol/policy/v2 ProtocolPort). */
const ipEntry = '^(\\*|[0-9]+(-[0-9]+)?|[a-z]+:(\\*|[0-9]+(-[0-9]+)?))$';

/**
 * The tailnet policy file as the lab writes it, closed on the keys Tailscale documents
 * (tailscale.com/docs/reference/syntax/policy-file, validated 2026-04-08; kb/1538 grants syntax;
 * headscale's hscontrol/policy/v2/types.go for the value grammars), read 2026-12-08. Tailscale
 * publishes no schema (tailscale/tailscale#10794), so this is ours; a key it does not know is
 * refused by Tailscale's API when the file is applied, and here before that.
 */
export const tailnetPolicySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    grants: {
      type: 'array',
      items: {
        type: 'object',
        required: ['src', 'dst'],
        additionalProperties: false,
        properties: {
          src: { ...strings, minItems: 1 },
          dst: { ...strings, minItems: 1 },
          ip: { type: 'array', items: { type: 'string', pattern: ipEntry } },
          app: { type: 'object' },
          srcPosture: strings,
          via: strings,
        },
      },
    },
    acls: { type: 'array' },
    ssh: { type: 'array' },
    groups: { type: 'object', propertyNames: { pattern: '^group:' }, additionalProperties: strings },
    hosts: { type: 'object', additionalProperties: { type: 'string' } },
    ipsets: { type: 'object' },
    tagOwners: { type: 'object', propertyNames: { pattern: tag }, additionalProperties: strings },
    autoApprovers: {
      type: 'object',
      additionalProperties: false,
      properties: { routes: { type: 'object', additionalProperties: strings }, exitNode: strings },
    },
    nodeAttrs: { type: 'array' },
    postures: { type: 'object' },
    tests: { type: 'array' },
    sshTests: { type: 'array' },
  },
} as const;
