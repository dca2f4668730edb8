// Traefik v3's file-provider (dynamic) configuration, written down from its documentation
// (routing/routers, load-balancing/service, middlewares/forwardauth, serversTransports).
// Traefik refuses unknown keys ("field not found"), so every object here is closed.
const strings = { type: 'array', items: { type: 'string' } } as const;

const router = {
  type: 'object',
  required: ['rule', 'service'],
  additionalProperties: false,
  properties: {
    entryPoints: strings,
    rule: { type: 'string' },
    priority: { type: 'integer' },
    middlewares: strings,
    service: { type: 'string' },
    tls: {
      type: 'object',
      additionalProperties: false,
      properties: { certResolver: { type: 'string' }, options: { type: 'string' }, domains: { type: 'array' } },
    },
    observability: { type: 'object' },
  },
} as const;

const service = {
  type: 'object',
  additionalProperties: false,
  properties: {
    loadBalancer: {
      type: 'object',
      required: ['servers'],
      additionalProperties: false,
      properties: {
        servers: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['url'],
            additionalProperties: false,
            properties: { url: { type: 'string', pattern: '^https?://[^/\\s]+(/.*)?$' }, weight: { type: 'integer' }, preservePath: { type: 'boolean' } },
          },
        },
        passHostHeader: { type: 'boolean' },
        serversTransport: { type: 'string' },
        healthCheck: { type: 'object' },
        sticky: { type: 'object' },
        strategy: { enum: ['wrr', 'p2c', 'hrw', 'leasttime'] },
      },
    },
  },
} as const;

const forwardAuth = {
  type: 'object',
  required: ['address'],
  additionalProperties: false,
  properties: {
    address: { type: 'string', pattern: '^https?://' },
    trustForwardHeader: { type: 'boolean' },
    authResponseHeaders: strings,
    authResponseHeadersRegex: { type: 'string' },
    authRequestHeaders: strings,
    addAuthCookiesToResponse: strings,
    forwardBody: { type: 'boolean' },
    maxBodySize: { type: 'integer' },
    maxResponseBodySize: { type: 'integer' },
    headerField: { type: 'string' },
    preserveLocationHeader: { type: 'boolean' },
    preserveRequestMethod: { type: 'boolean' },
    authSigninURL: { type: 'string' },
    tls: { type: 'object' },
  },
} as const;

const middleware = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: {
    forwardAuth,
    redirectScheme: {
      type: 'object',
      required: ['scheme'],
      additionalProperties: false,
      properties: { scheme: { type: 'string' }, permanent: { type: 'boolean' }, port: { type: 'string' } },
    },
    headers: { type: 'object' },
  },
} as const;

/** A certificate the file provider loads (https/tls: certificates, stores). */
const certificate = {
  type: 'object',
  required: ['certFile', 'keyFile'],
  additionalProperties: false,
  properties: { certFile: { type: 'string', minLength: 1 }, keyFile: { type: 'string', minLength: 1 }, stores: strings },
} as const;

const tls = {
  type: 'object',
  additionalProperties: false,
  properties: {
    certificates: { type: 'array', items: certificate },
    options: { type: 'object' },
    stores: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { defaultCertificate: { ...certificate, properties: { certFile: certificate.properties.certFile, keyFile: certificate.properties.keyFile } }, defaultGeneratedCert: { type: 'object' } },
      },
    },
  },
} as const;

export const traefikDynamicSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    http: {
      type: 'object',
      additionalProperties: false,
      properties: {
        routers: { type: 'object', propertyNames: { pattern: '^[^@]+$' }, additionalProperties: router },
        services: { type: 'object', propertyNames: { pattern: '^[^@]+$' }, additionalProperties: service },
        middlewares: { type: 'object', additionalProperties: middleware },
        serversTransports: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            properties: { insecureSkipVerify: { type: 'boolean' }, serverName: { type: 'string' }, rootCAs: strings },
          },
        },
      },
    },
    tcp: { type: 'object' },
    udp: { type: 'object' },
    tls,
  },
} as const;

/** The matchers of Traefik v3's rule syntax (routing/rules-and-priority). */
const MATCHERS = new Set(['Header', 'HeaderRegexp', 'Host', 'HostRegexp', 'Method', 'Path', 'PathPrefix', 'PathRegexp', 'Query', 'QueryRegexp', 'ClientIP']);
const TWO_VALUES = new Set(['Header', 'HeaderRegexp', 'Query', 'QueryRegexp']);

/** Problems with a v3 rule: unknown matchers, values not in backticks, a v2-style list of values. */
export function ruleProblems(rule: string): string[] {
  const problems: string[] = [];
  const calls = [...rule.matchAll(/([A-Za-z]+)\(([^)]*)\)/g)];
  if (calls.length === 0) problems.push(`"${rule}" has no matcher`);
  for (const [, name, args] of calls) {
    if (!MATCHERS.has(name!)) problems.push(`unknown matcher ${name}`);
    const values = args!.split(',').map((a) => a.trim());
    if (!values.every((v) => /^`[^`]*`$/.test(v))) problems.push(`${name}(${args}): values must be in backticks`);
    if (values.length !== (TWO_VALUES.has(name!) ? 2 : 1)) problems.push(`${name}(${args}): v3 takes ${TWO_VALUES.has(name!) ? 'two values' : 'one value'}`);
  }
  const rest = rule.replace(/([A-Za-z]+)\(([^)]*)\)/g, 'M').replace(/\s+/g, '');
  if (!/^[!(]*M\)*((&&|\|\|)[!(]*M\)*)*$/.test(rest)) problems.push(`"${rule}" is not matchers joined by && and ||`);
  return problems;
}

interface Dynamic {
  http?: {
    routers?: Record<string, { rule: string; service: string; middlewares?: string[] }>;
    services?: Record<string, { loadBalancer?: { serversTransport?: string } }>;
    middlewares?: Record<string, unknown>;
    serversTransports?: Record<string, unknown>;
  };
}

/** References the schema cannot check: routers name services and middlewares that exist. */
export function referenceProblems(doc: Dynamic): string[] {
  const http = doc.http ?? {};
  const problems: string[] = [];
  const local = (name: string, pool: Record<string, unknown> | undefined) => name.includes('@') || Object.hasOwn(pool ?? {}, name);
  for (const [name, r] of Object.entries(http.routers ?? {})) {
    for (const p of ruleProblems(r.rule)) problems.push(`router ${name}: ${p}`);
    if (!local(r.service, http.services)) problems.push(`router ${name}: service ${r.service} is not defined`);
    for (const m of r.middlewares ?? []) if (!local(m, http.middlewares)) problems.push(`router ${name}: middleware ${m} is not defined`);
  }
  for (const [name, s] of Object.entries(http.services ?? {})) {
    const t = s.loadBalancer?.serversTransport;
    if (t && !local(t, http.serversTransports)) problems.push(`service ${name}: serversTransport ${t} is not defined`);
  }
  return problems;
}

/** The hostnames the routers answer for (their Host matchers). */
export function routedHosts(doc: Dynamic): string[] {
  const hosts = new Set<string>();
  for (const r of Object.values(doc.http?.routers ?? {})) for (const m of r.rule.matchAll(/Host\(`([^`]+)`\)/g)) hosts.add(m[1]!);
  return [...hosts].sort();
}
