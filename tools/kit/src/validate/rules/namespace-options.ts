import { defineRule, eachService, servicePath } from '../rule.js';

/** IPC-namespaced sysctls (runc libcontainer/configs/validate/validator.go sysctl); fs.mqueue.* too. */
const IPC_SYSCTLS = new Set(['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced']);

/**
 * Why runc refuses a sysctl in a Docker container (own IPC and UTS namespaces, no user namespace,
 * the host's network namespace under network_mode host), or undefined.
 */
function sysctlProblem(key: string, hostNetwork: boolean): string | undefined {
  const name = key.replace(/\//g, '.');
  if (IPC_SYSCTLS.has(name) || name.startsWith('fs.mqueue.') || name === 'kernel.domainname') return undefined;
  if (name.startsWith('net.')) return hostNetwork ? 'it would change the host\'s network namespace (network_mode host)' : undefined;
  if (name === 'kernel.hostname') return 'it conflicts with the hostname field; set hostname instead';
  if (name.startsWith('user.')) return 'containers have no user namespace of their own';
  return 'it is not in a kernel namespace the container has of its own; set it on the host instead';
}

/** The daemon's longest hostname (moby daemon/daemon_unix.go maxHostnameLen). */
const MAX_HOSTNAME = 64;

/**
 * Options that conflict with the host's (or no) network namespace, and a hostname the daemon
 * refuses. `network_mode: service:X` / `container:X` is the network-mode rule's.
 * - networks with network_mode (compose-go loader/validate.go checkConsistency);
 * - mac_address outside a bridge network (moby daemon/server/router/container/container_routes.go
 *   handleMACAddressBC, "conflicting options: mac-address and the network mode");
 * - published ports on the host network are discarded (moby daemon/daemon_unix.go
 *   verifyPlatformContainerSettings, a warning there: here too);
 * - a hostname over 64 bytes (moby daemon/daemon_unix.go verifyPlatformContainerSettings);
 * - sysctls outside the container's own namespaces (runc libcontainer/configs/validate/validator.go sysctl).
 */
export const namespaceOptionsRule = defineRule({
  description: 'Options that conflict with the host\'s (or no) network namespace, and a hostname the daemon refuses',
  docs: 'findings.md#what-docker-compose-and-the-docker-daemon-refuse-per-host',
  codes: ['network-mode-host-conflict', 'network-mode-host-ports', 'hostname-too-long', 'sysctl-invalid'],
  check(lab, findings) {
    eachService(lab, (host, service) => {
      const mode = service.networkMode;
      if (mode === 'host' || mode === 'none') {
        if ((service.networks ?? []).length > 0) {
          findings.error('network-mode-host-conflict', servicePath(host, service, 'networks'), `${service.name} uses network_mode "${mode}", so it cannot join networks too (docker compose: mutually exclusive network_mode and networks). Drop one of them.`);
        }
        if (service.macAddress !== undefined) {
          findings.error('network-mode-host-conflict', servicePath(host, service, 'macAddress'), `${service.name} uses network_mode "${mode}", which has no interface of its own to give a MAC address; the daemon refuses mac_address here. Drop it.`);
        }
        if (mode === 'host' && (service.ports ?? []).length > 0) {
          findings.warning('network-mode-host-ports', servicePath(host, service, 'ports'), `${service.name} runs on the host network, where Docker discards published ports: the process binds its ports on the host itself. List them under listen instead of ports.`);
        }
      }
      for (const key of Object.keys(service.sysctls ?? {})) {
        const problem = sysctlProblem(key, mode === 'host');
        if (problem) findings.error('sysctl-invalid', servicePath(host, service, `sysctls.${key}`), `the container cannot set sysctl ${key}: ${problem}. The runtime refuses to start it.`);
      }
      if (service.hostname !== undefined && Buffer.byteLength(service.hostname) > MAX_HOSTNAME) {
        findings.error('hostname-too-long', servicePath(host, service, 'hostname'), `hostname "${service.hostname}" is longer than the 64 bytes the daemon accepts; shorten it.`);
      }
    });
  },
});
