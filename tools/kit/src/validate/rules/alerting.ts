import { defineRule, servicePath } from '../rule.js';
import { findRole } from '../../model/wiring.js';
import { ALERTMANAGER_PORT, alertmanagerTarget } from '../../model/alerting.js';

/** The Alertmanager has its one receiver (a webhook URL as a secret) and the metrics store reaches it. */
export const alertingRule = defineRule({
  description: 'The Alertmanager has its one receiver (a webhook URL as a secret) and the metrics store reaches it',
  docs: 'findings.md#across-the-lab',
  codes: ['alert-receiver-missing', 'alertmanager-unreachable'],
  check(lab, findings) {
    const am = findRole(lab, 'alert-manager');
    if (!am) return;
    const secrets = am.service.secrets ?? [];
    if (secrets.length !== 1) {
      findings.error('alert-receiver-missing', servicePath(am.host, am.service, 'secrets'), `${am.service.name} sends every alert to one webhook whose URL is its one secret (read from /run/secrets/<name>); it declares ${secrets.length}. Declare exactly one, e.g. secrets: [secret('alertmanager_webhook_url')].`);
    }
    const store = findRole(lab, 'metrics-store');
    if (store && !alertmanagerTarget(lab, store.host)) {
      findings.error('alertmanager-unreachable', servicePath(am.host, am.service, 'ports'), `${store.service.name} on ${store.host.name} cannot reach ${am.service.name}'s port ${ALERTMANAGER_PORT}: it is not published on ${am.host.address}. Run it on ${store.host.name} or publish the port.`);
    }
  },
});
