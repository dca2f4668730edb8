export * from './item.js';
export * from './compose-drift.js';
export * from './guest-drift.js';
export * from './host-drift.js';
export * from './pve-drift.js';
export * from './release-files.js';
export * from './zfs-drift.js';
