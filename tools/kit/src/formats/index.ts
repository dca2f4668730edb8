export * from './traefik-dynamic.js';
export * from './adguard-config.js';
