import { defineRule, servicePath } from '../rule.js';
import { serviceName, type ServiceDef } from '../../model/service.js';
import { DEFAULT_HEALTHCHECK_INTERVAL_MS, durationMs } from '../../common/compose-units.js';
/** The longest interval a service others wait on may have before each start waits noticeably on it. */
export const GATE_INTERVAL_MS = 10_000;

/**
 * `condition: service_healthy` needs a healthcheck on the service waited for: docker compose
 * fails the start with "container X has no healthcheck configured" (docker/compose
 * pkg/compose/convergence.go isServiceHealthy). The finding goes where the mistake most likely
 * is: one service waiting is its own dependency's fault; several waiting on one service say that
 * service lost (or never had) its healthcheck, so the finding is there, once, naming them all.
 */
export const dependsOnHealthyRule = defineRule({
  description: 'A `service_healthy` dependency waits on a service that has a healthcheck, checked often enough not to hold up each start',
  docs: 'findings.md#what-docker-compose-and-the-docker-daemon-refuse-per-host',
  codes: ['depends-on-no-healthcheck', 'depends-on-slow-healthcheck'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      const waiting = new Map<ServiceDef, { service: ServiceDef; index: number }[]>();
      const gates = new Map<ServiceDef, string[]>();
      for (const service of host.services) {
        (service.dependsOn ?? []).forEach((dep, index) => {
          if (dep.condition !== 'service_healthy') return;
          const target = host.services.find((s) => s.name === serviceName(dep.service));
          if (!target) return; // depends-on-unknown says so
          const test = target.healthcheck?.test;
          if (test && test.length > 0 && test[0] !== 'NONE') {
            gates.set(target, [...(gates.get(target) ?? []), service.name]);
            return;
          }
          waiting.set(target, [...(waiting.get(target) ?? []), { service, index }]);
        });
      }
      // dockerd runs a container's first healthcheck one interval after it starts (Debian 12's
      // 20.10 has no start_interval), and compose starts a service waiting on it only then: every
      // link of a chain of service_healthy waits adds its interval to each start of the stack.
      for (const [target, waiters] of gates) {
        const given = target.healthcheck?.interval;
        const ms = given === undefined ? DEFAULT_HEALTHCHECK_INTERVAL_MS : durationMs(given);
        if (ms === undefined || ms <= GATE_INTERVAL_MS) continue; // duration-invalid says so
        findings.warning(
          'depends-on-slow-healthcheck',
          servicePath(host, target, given === undefined ? 'healthcheck' : 'healthcheck.interval'),
          `${waiters.join(', ')} ${waiters.length === 1 ? 'waits' : 'wait'} for ${target.name} to be healthy, and dockerd runs ${target.name}'s first healthcheck ${given ?? '30s (the default)'} after it starts (Debian 12's dockerd 20.10 has no start_interval): each deploy and boot waits that long before starting ${waiters.length === 1 ? 'it' : 'them'}. Check ${target.name} every ${GATE_INTERVAL_MS / 1000}s (healthcheck.interval: '${GATE_INTERVAL_MS / 1000}s'), with a startPeriod that covers its slowest first start and retries that keep its unhealthy window: a failure in the start period does not count, a success ends it.`,
        );
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
