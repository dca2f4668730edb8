export * from './traefik-dynamic.js';
export * from './adguard-config.js';
export * from './authentik-blueprint.js';
export * from './authentik-blueprint-check.js';
export * from './tailnet-policy.js';
export * from './homepage.js';
