export * from './plan.js';
export * from './restore.js';
