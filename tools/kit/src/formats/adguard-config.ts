// AdGuard Home's AdGuardHome.yaml as far as the lab writes it, from its documentation
// (wiki: Configuration) and the keys of schema version 34. AdGuard ignores unknown keys
// silently, which is why this is closed: a misspelled key would otherwise be lost without a word.
const strings = { type: 'array', items: { type: 'string' } } as const;

export const ADGUARD_SCHEMA_VERSION = 34;

export const adguardConfigSchema = {
  type: 'object',
  required: ['http', 'dns', 'filtering', 'schema_version'],
  additionalProperties: false,
  properties: {
    http: {
      type: 'object',
      required: ['address'],
      additionalProperties: false,
      properties: { address: { type: 'string', pattern: '^[0-9.]+:[0-9]+$' }, session_ttl: { type: 'string' }, pprof: { type: 'object' }, doh: { type: 'object' } },
    },
    users: {
      type: 'array',
      items: { type: 'object', required: ['name', 'password'], additionalProperties: false, properties: { name: { type: 'string' }, password: { type: 'string' } } },
    },
    auth_attempts: { type: 'integer' },
    block_auth_min: { type: 'integer' },
    http_proxy: { type: 'string' },
    language: { type: 'string' },
    theme: { enum: ['auto', 'light', 'dark'] },
    dns: {
      type: 'object',
      required: ['bind_hosts', 'port', 'upstream_dns'],
      properties: {
        bind_hosts: strings,
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        upstream_dns: { ...strings, minItems: 1 },
        bootstrap_dns: strings,
        fallback_dns: strings,
        upstream_mode: { enum: ['load_balance', 'parallel', 'fastest_addr'] },
        use_private_ptr_resolvers: { type: 'boolean' },
        local_ptr_upstreams: strings,
        // A key that moved to `filtering` in schema 26: written here, AdGuard would ignore it.
        rewrites: false,
      },
    },
    filters: {
      type: 'array',
      items: { type: 'object', required: ['url', 'enabled'], additionalProperties: false, properties: { enabled: { type: 'boolean' }, url: { type: 'string' }, name: { type: 'string' }, id: { type: 'integer' } } },
    },
    whitelist_filters: { type: 'array' },
    user_rules: strings,
    filtering: {
      type: 'object',
      properties: {
        protection_enabled: { type: 'boolean' },
        filtering_enabled: { type: 'boolean' },
        rewrites_enabled: { type: 'boolean' },
        rewrites: {
          type: 'array',
          items: {
            type: 'object',
            required: ['domain', 'answer'],
            additionalProperties: false,
            properties: { domain: { type: 'string' }, answer: { type: 'string' }, enabled: { type: 'boolean' } },
          },
        },
      },
    },
    querylog: { type: 'object' },
    statistics: { type: 'object' },
    tls: { type: 'object' },
    dhcp: { type: 'object' },
    clients: { type: 'object' },
    log: { type: 'object' },
    os: { type: 'object' },
    schema_version: { const: ADGUARD_SCHEMA_VERSION },
  },
} as const;
