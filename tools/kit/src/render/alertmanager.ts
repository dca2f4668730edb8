import type { Lab } from '../model/lab.js';
import type { HostDef } from '../model/host.js';
import { findRole, type Placed } from '../model/wiring.js';
import type { Artifact } from './artifact.js';
import { toYaml } from './yaml.js';

export const ALERTMANAGER_DIR = 'alertmanager';

/**
 * The one receiver: a webhook (ntfy, Gotify, a chat bridge, ...) whose URL is the Alertmanager
 * service's one secret, read by Alertmanager from its file (`url_file`), so the URL, which often
 * carries a token, never sits in the rendered config. `alert-receiver-missing` reports its absence.
 */
export function alertmanagerConfig(am: Placed): Record<string, unknown> | undefined {
  const receiver = am.service.secrets?.length === 1 ? am.service.secrets[0] : undefined;
  if (!receiver) return undefined;
  return {
    route: {
      receiver: 'webhook',
      group_by: ['alertname', 'host'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
    },
    // A pool that is degraded says why a dataset or target looks wrong: hold those back meanwhile.
    inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['host'] }],
    receivers: [{ name: 'webhook', webhook_configs: [{ url_file: `/run/secrets/${receiver.name}`, send_resolved: true }] }],
  };
}

const HEADER = ['Alertmanager: the lab\'s one receiver (tools/kit/src/render/alertmanager.ts). Do not edit.'];

/** On the Alertmanager's host: alertmanager/alertmanager.yml. */
export function renderAlertmanager(lab: Lab, host: HostDef): Artifact[] {
  const am = findRole(lab, 'alert-manager');
  if (am?.host !== host) return [];
  const config = alertmanagerConfig(am);
  return config ? [{ path: `${ALERTMANAGER_DIR}/alertmanager.yml`, kind: 'alertmanager', content: toYaml(config, { header: HEADER }) }] : [];
}
