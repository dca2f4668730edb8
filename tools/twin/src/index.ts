export * from './namespaces.js';
export * from './probe.js';
export * from './wait.js';
export * from './sshd.js';
export * from './lab.js';
export * from './deploy.js';
export * from './standin/index.js';
