import { defineRule, servicePath } from '../rule.js';
import { serviceName } from '../../model/service.js';

/**
 * `condition: service_healthy` needs a healthcheck on the service waited for: docker compose
 * fails the start with "container X has no healthcheck configured" (docker/compose
 * pkg/compose/convergence.go isServiceHealthy). The finding points at the dependency, whose
 * author chose the condition; the fix may be a healthcheck on the other service.
 */
export const dependsOnHealthyRule = defineRule({
  codes: ['depends-on-no-healthcheck'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        (service.dependsOn ?? []).forEach((dep, i) => {
          if (dep.condition !== 'service_healthy') return;
          const name = serviceName(dep.service);
          const target = host.services.find((s) => s.name === name);
          if (!target) return; // depends-on-unknown says so
          const test = target.healthcheck?.test;
          if (test && test.length > 0 && test[0] !== 'NONE') return;
          findings.error(
            'depends-on-no-healthcheck',
            servicePath(host, service, `dependsOn[${i}]`),
            `${service.name} waits for ${name} to be healthy, but ${name} ${test ? 'disables its healthcheck (NONE)' : 'has no healthcheck'}; docker compose up fails with "container ${name} has no healthcheck configured". Give ${name} a healthcheck, or use condition 'service_started'.`,
          );
        });
      }
    }
  },
});
