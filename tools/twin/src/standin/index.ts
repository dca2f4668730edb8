export * from './spec.js';
export * from './build.js';
export { healthShim, SHIM_PATHS } from './health-shims.js';
