import { defineRule, eachService, servicePath } from '../rule.js';
import { sizeBytes } from '../../common/compose-units.js';

/** The daemon's floor for a memory limit (moby daemon/daemon_unix.go linuxMinMemory). */
const MIN_MEMORY_BYTES = 6 * 1024 * 1024;

/**
 * Resource settings the daemon refuses (moby daemon/daemon_unix.go
 * verifyPlatformContainerResources, verifyPlatformContainerSettings): a memory limit below 6MB,
 * `cpus` outside 0.01 to the number of CPUs the guest has, a negative or unreadable shm size.
 */
export const containerLimitsRule = defineRule({
  description: 'Memory, CPU and shm settings the Docker daemon refuses',
  docs: 'findings.md#what-docker-compose-and-the-docker-daemon-refuse-per-host',
  codes: ['memory-limit-too-low', 'cpus-invalid', 'shm-size-invalid'],
  check(lab, findings) {
    eachService(lab, (host, service) => {
      if (service.memLimit !== undefined) {
        const bytes = sizeBytes(service.memLimit);
        // An unreadable size is memory-limit-invalid (resources rule); 0 means no limit.
        if (bytes !== undefined && bytes !== 0 && bytes < MIN_MEMORY_BYTES) {
          findings.error('memory-limit-too-low', servicePath(host, service, 'memLimit'), `${service.name}'s memory limit ${service.memLimit} is below Docker's minimum of 6MB (a size without a unit is bytes: write "512m", not "512"); the daemon refuses to create the container.`);
        }
      }
      if (service.cpus !== undefined && (!(service.cpus >= 0.01) || service.cpus > host.cores)) {
        findings.error('cpus-invalid', servicePath(host, service, 'cpus'), `cpus ${service.cpus} is outside 0.01 to ${host.cores}: ${host.name} has ${host.cores} CPUs and the daemon refuses a limit past them. Lower it, or give ${host.name} more cores.`);
      }
      if (service.shmSize !== undefined) {
        const bytes = sizeBytes(service.shmSize);
        if (bytes === undefined) {
          findings.error('shm-size-invalid', servicePath(host, service, 'shmSize'), `"${service.shmSize}" is not a size like 64m or 1g; docker compose refuses it.`);
        }
      }
    });
  },
});
