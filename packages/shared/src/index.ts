export { default } from './facts.js';
export { network } from './network.js';
export { zfs, type DatasetName } from './zfs.js';
export { containers } from './containers.js';
