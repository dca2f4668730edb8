export * from './namespaces.js';
export * from './probe.js';
