import { isIP } from 'node:net';
import { defineRule, eachService, servicePath } from '../rule.js';

/** `--security-opt` keys the daemon reads (moby daemon/daemon_unix.go parseSecurityOpt). */
function securityOptProblem(opt: string): string | undefined {
  if (opt === 'no-new-privileges' || opt === 'writable-cgroups' || opt === 'disable') return undefined;
  const sep = opt.includes('=') ? '=' : opt.includes(':') ? ':' : undefined;
  if (!sep) return 'it is neither a flag (no-new-privileges) nor key=value';
  const [key, value] = [opt.slice(0, opt.indexOf(sep)), opt.slice(opt.indexOf(sep) + 1)];
  if (key === 'label' || key === 'apparmor' || key === 'seccomp') return undefined;
  if (key === 'no-new-privileges' || key === 'writable-cgroups') {
    return /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/.test(value) ? undefined : `${key} takes true or false, not "${value}"`;
  }
  return `the daemon knows label, apparmor, seccomp, no-new-privileges and writable-cgroups, not "${key}"`;
}

/**
 * Container options the daemon checks before it creates anything: security options (moby
 * daemon/daemon_unix.go parseSecurityOpt), extra hosts as name:address with a real IP or
 * host-gateway (compose-go types/hostList.go NewHostsList, moby daemon/pkg/opts/hosts.go
 * ValidateExtraHost), environment names that are not empty (moby daemon/pkg/opts/env.go ValidateEnv)
 * and without the trailing space compose-go refuses (types/mapping.go), and an absolute working
 * directory (moby daemon/container.go translateWorkingDir).
 */
export const daemonOptionsRule = defineRule({
  description: 'Container options the daemon checks before it creates anything',
  docs: 'findings.md#what-docker-compose-and-the-docker-daemon-refuse-per-host',
  codes: ['security-opt-invalid', 'extra-host-invalid', 'env-name-invalid', 'working-dir-invalid'],
  check(lab, findings) {
    eachService(lab, (host, service) => {
      (service.securityOpt ?? []).forEach((opt, i) => {
        const problem = securityOptProblem(opt);
        if (problem) findings.error('security-opt-invalid', servicePath(host, service, `securityOpt[${i}]`), `security option "${opt}" is refused by the daemon: ${problem}.`);
      });
      (service.extraHosts ?? []).forEach((entry, i) => {
        const sep = /[=:]/.exec(entry);
        const name = sep ? entry.slice(0, sep.index) : '';
        const address = sep ? entry.slice(sep.index + 1).replace(/^\[(.*)\]$/, '$1') : '';
        if (!name || (address !== 'host-gateway' && isIP(address) === 0)) {
          findings.error('extra-host-invalid', servicePath(host, service, `extraHosts[${i}]`), `extra host "${entry}" must be name:address, where address is an IP address or host-gateway.`);
        }
      });
      if (service.workingDir !== undefined && !service.workingDir.startsWith('/')) {
        findings.error('working-dir-invalid', servicePath(host, service, 'workingDir'), `working directory "${service.workingDir}" must be an absolute path inside the container (e.g. /app); the daemon refuses a relative one.`);
      }
      for (const key of Object.keys(service.environment ?? {})) {
        if (key === '' || key.includes('=') || key !== key.trim()) {
          findings.error('env-name-invalid', servicePath(host, service, `environment.${key}`), `environment name ${JSON.stringify(key)} is refused: it must be non-empty, without "=" and without leading or trailing spaces.`);
        }
      }
    });
  },
});
