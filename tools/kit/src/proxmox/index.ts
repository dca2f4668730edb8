export * from './conf.js';
export * from './dialects.js';
export * from './guest-plan.js';
export * from './node-guest.js';
export * from './property-string.js';
export * from './qemu-create.js';
export * from './steps.js';
export * from './volumes.js';
