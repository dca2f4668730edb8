export * from './tree.js';
export * from './rendered.js';
export * from './order.js';
export * from './diff.js';
