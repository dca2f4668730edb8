import { defineRule, servicePath } from '../rule.js';
import { findRole, metricsServices, scrapeTargets } from '../../model/wiring.js';

/** Every declared metrics endpoint can be scraped by the lab's metrics store. */
export const metricsRule = defineRule({
  description: 'Every declared metrics endpoint can be scraped by the lab\'s metrics store',
  docs: 'findings.md#across-the-lab',
  codes: ['metrics-unreachable', 'metrics-no-store'],
  check(lab, findings) {
    const store = findRole(lab, 'metrics-store');
    if (!store) {
      const declared = metricsServices(lab);
      if (declared.length > 0) findings.warning('metrics-no-store', 'lab/metrics', `${declared.length} service(s) declare metrics but no service has role 'metrics-store'; nothing scrapes them.`);
      return;
    }
    for (const t of scrapeTargets(lab, store.host)) {
      if (t.address) continue;
      findings.error('metrics-unreachable', servicePath(t.host, t.service, 'metrics.port'), `${store.service.name} on ${store.host.name} cannot reach ${t.service.name}'s metrics port ${t.service.metrics!.port}: it is not published on ${t.host.address}. Publish it (its metrics declaration is the reason) or drop the declaration.`);
    }
  },
});
