import { defineRule, eachService, servicePath } from '../rule.js';

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
 * - a hostname over 64 bytes (moby daemon/daemon_unix.go verifyPlatformContainerSettings).
 */
export const namespaceOptionsRule = defineRule({
  codes: ['network-mode-host-conflict', 'network-mode-host-ports', 'hostname-too-long'],
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
      if (service.hostname !== undefined && Buffer.byteLength(service.hostname) > MAX_HOSTNAME) {
        findings.error('hostname-too-long', servicePath(host, service, 'hostname'), `hostname "${service.hostname}" is longer than the 64 bytes the daemon accepts; shorten it.`);
      }
    });
  },
});
