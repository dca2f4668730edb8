// Images read straight from their registries and compared with the facts the lab keeps of them
// (`homelab images verify`, docs/images.md).
export * from './reference.js';
export * from './registry.js';
export * from './tar.js';
export * from './layers.js';
export * from './image.js';
export * from './compare.js';
export * from './verify.js';
export * from './update.js';
export * from './changed.js';
export * from './evidence.js';
