import { defineRule, eachService, servicePath } from '../rule.js';

/** Linux's capabilities (capability.h, through CAP_CHECKPOINT_RESTORE), as the daemon knows them. */
const KNOWN = new Set([
  'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER', 'FSETID', 'KILL', 'SETGID', 'SETUID', 'SETPCAP',
  'LINUX_IMMUTABLE', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_ADMIN', 'NET_RAW', 'IPC_LOCK', 'IPC_OWNER',
  'SYS_MODULE', 'SYS_RAWIO', 'SYS_CHROOT', 'SYS_PTRACE', 'SYS_PACCT', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_NICE',
  'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'MKNOD', 'LEASE', 'AUDIT_WRITE', 'AUDIT_CONTROL', 'SETFCAP',
  'MAC_OVERRIDE', 'MAC_ADMIN', 'SYSLOG', 'WAKE_ALARM', 'BLOCK_SUSPEND', 'AUDIT_READ', 'PERFMON', 'BPF',
  'CHECKPOINT_RESTORE',
]);

/**
 * Every `cap_add` entry names a capability the daemon knows, with or without `CAP_`, in any case,
 * or ALL (moby daemon/pkg/oci/caps/utils.go NormalizeLegacyCapabilities, "unknown capability").
 */
export const capabilitiesRule = defineRule({
  description: 'Every `cap_add` entry names a capability the Docker daemon knows',
  docs: 'findings.md#what-docker-compose-and-the-docker-daemon-refuse-per-host',
  codes: ['capability-unknown'],
  check(lab, findings) {
    eachService(lab, (host, service) => {
      (service.capAdd ?? []).forEach((cap, i) => {
        const name = cap.toUpperCase().replace(/^CAP_/, '');
        if (name === 'ALL' || KNOWN.has(name)) return;
        findings.error('capability-unknown', servicePath(host, service, `capAdd[${i}]`), `"${cap}" is not a Linux capability; the daemon refuses the container ("unknown capability"). Use a name from capabilities(7) such as NET_ADMIN or SYS_NICE.`);
      });
    });
  },
});
