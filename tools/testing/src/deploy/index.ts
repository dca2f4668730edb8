export * from './dockerd.js';
export * from './fixture-lab.js';
export * from './processes.js';
export * from './sshd.js';
export * from './target-env.js';
export * from './capabilities.js';
export * from './storage-driver.js';
