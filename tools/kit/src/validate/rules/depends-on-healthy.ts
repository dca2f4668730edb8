import { defineRule, servicePath } from '../rule.js';
import { serviceName, type ServiceDef } from '../../model/service.js';

/**
 * `condition: service_healthy` needs a healthcheck on the service waited for: docker compose
 * fails the start with "container X has no healthcheck configured" (docker/compose
 * pkg/compose/convergence.go isServiceHealthy). The finding goes where the mistake most likely
 * is: one service waiting is its own dependency's fault; several waiting on one service say that
 * service lost (or never had) its healthcheck, so the finding is there, once, naming them all.
 */
export const dependsOnHealthyRule = defineRule({
  description: 'A `service_healthy` dependency waits on a service that has a healthcheck',
  docs: 'findings.md#what-docker-compose-and-the-docker-daemon-refuse-per-host',
  codes: ['depends-on-no-healthcheck'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      const waiting = new Map<ServiceDef, { service: ServiceDef; index: number }[]>();
      for (const service of host.services) {
        (service.dependsOn ?? []).forEach((dep, index) => {
          if (dep.condition !== 'service_healthy') return;
          const target = host.services.find((s) => s.name === serviceName(dep.service));
          if (!target) return; // depends-on-unknown says so
          const test = target.healthcheck?.test;
          if (test && test.length > 0 && test[0] !== 'NONE') return;
          waiting.set(target, [...(waiting.get(target) ?? []), { service, index }]);
        });
      }
      for (const [target, waiters] of waiting) {
        const lacks = target.healthcheck ? 'disables its healthcheck (NONE)' : 'has no healthcheck';
        const error = `docker compose up fails with "container ${target.name} has no healthcheck configured"`;
        if (waiters.length === 1) {
          const { service, index } = waiters[0]!;
          findings.error('depends-on-no-healthcheck', servicePath(host, service, `dependsOn[${index}]`), `${service.name} waits for ${target.name} to be healthy, but ${target.name} ${lacks}; ${error}. Give ${target.name} a healthcheck, or use condition 'service_started'.`);
        } else {
          const names = waiters.map((w) => w.service.name).join(', ');
          findings.error('depends-on-no-healthcheck', servicePath(host, target, 'healthcheck'), `${names} wait for ${target.name} to be healthy, but ${target.name} ${lacks}; ${error}. Give ${target.name} a healthcheck.`);
        }
      }
    }
  },
});
