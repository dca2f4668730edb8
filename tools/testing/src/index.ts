export * from './tools.js';
export * from './workspace.js';
export * from './snapshot.js';
export * from './git-workspace.js';
export * from './deploy/index.js';
export * from './nx-workspace.js';
export * from './oci-registry.js';
export * from './oci-images.js';
