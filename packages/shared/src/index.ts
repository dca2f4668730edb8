export { default } from './facts.js';
export { network } from './network.js';
export { zfs, type DatasetName } from './zfs.js';
export { containers } from './containers.js';
export { vmDefaults } from './vms.js';
export { cadvisor, nodeExporter, vmAgents } from './services/agents.js';
export { hostExporter, poolHostExporter } from './services/host-exporter.js';
export { dockerSocketProxy, type SocketProxyGrants } from './services/docker-socket-proxy.js';
export { images, linuxserverFacts } from './images.js';
