export * from './spec.js';
export * from './build.js';
export { healthShim, SHIM_PATHS } from './health-shims.js';
export { BLUEPRINTS_DIR, EMBEDDED_OUTPOST, OUTPOST_TRAEFIK_PATH } from './outpost.js';
export { inlinedFor025, realDaemonOf, realDaemonRoot, realDaemonsNote, realRootEntry, type RealDaemon } from './real.js';
