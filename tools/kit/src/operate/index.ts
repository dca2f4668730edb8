export { daemonUnit, findService, labServices, machineServices, type LabService } from './services.js';
export { psHost, type HostStatus, type ServiceStatus } from './ps.js';
export { parseSince, serviceExec, serviceLogs, serviceRestart, type LogOptions } from './service-commands.js';
