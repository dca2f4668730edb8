import { defineRule, eachService, servicePath } from '../rule.js';
import { serviceName, type ServiceDef } from '../../model/service.js';

/** Keys that belong to the network namespace's owner (compose-go loader/validate.go, Docker's own checks). */
const OWNED_BY_NAMESPACE: ReadonlyArray<readonly [keyof ServiceDef, string]> = [
  ['ports', 'ports'],
  ['hostname', 'hostname'],
  ['dns', 'dns'],
  ['extraHosts', 'extraHosts'],
  ['macAddress', 'macAddress'],
  ['networks', 'networks'],
];

function hasValue(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : value !== undefined;
}

/**
 * A service that joins another's network namespace (`network_mode: service:X` or `container:X`)
 * has no network settings of its own: X publishes its ports and owns its name and resolvers.
 */
export const networkModeRule = defineRule({
  description: 'A service in another\'s network namespace sets nothing Docker refuses there, and names a service of the stack',
  docs: 'findings.md#compose-per-host',
  codes: ['network-mode-conflict', 'network-mode-unknown-service'],
  check(lab, findings) {
    eachService(lab, (host, service) => {
      const mode = service.networkMode;
      if (mode === undefined || typeof mode === 'string') return;
      const target = 'service' in mode ? serviceName(mode.service) : mode.container;
      const how = 'service' in mode ? `service:${target}` : `container:${target}`;
      const owner = host.services.find((s) => s.name === target || s.hostname === target);
      if (!owner || owner === service) {
        findings.error(
          'network-mode-unknown-service',
          servicePath(host, service, 'networkMode'),
          `network_mode "${how}" names no other service of ${host.name}'s stack. Add ${target} to packages/${host.name}/src/index.ts or point networkMode at a service that is there.`,
        );
      }
      for (const [key, field] of OWNED_BY_NAMESPACE) {
        if (!hasValue(service[key])) continue;
        const hint = key === 'ports' ? ` Publish them on ${target} instead (the namespace owner).` : '';
        findings.error(
          'network-mode-conflict',
          servicePath(host, service, field),
          `${service.name} uses network_mode "${how}", so it cannot set ${field}: ${target} owns the network namespace.${hint}`,
        );
      }
    });
  },
});
