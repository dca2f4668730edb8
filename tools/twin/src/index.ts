export * from './namespaces.js';
export * from './probe.js';
export * from './standin/index.js';
