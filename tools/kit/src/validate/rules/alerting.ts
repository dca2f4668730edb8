import { defineRule, servicePath } from '../rule.js';
import { findRole } from '../../model/wiring.js';
import { imageName } from '../../model/service.js';
import { ALERTMANAGER_PORT, alertmanagerTarget } from '../../model/alerting.js';
import { GOTIFY_BRIDGE, RECEIVER_FORMS, imageVersion, receiverSecrets, versionAtLeast } from '../../model/alert-receivers.js';

const RECEIVER_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The Alertmanager has receivers the owner chose, each with its secret (declared by the service,
 * so it is mounted at /run/secrets/<name> and `homelab secret` holds it), read from a file by
 * the pinned Alertmanager; a Gotify receiver has its bridge; the metrics store reaches it.
 */
export const alertingRule = defineRule({
  description: 'The Alertmanager has the chosen receivers, each secret read from a file; Prometheus reaches it',
  docs: 'findings.md#across-the-lab',
  codes: ['alert-receiver-missing', 'alert-receiver-invalid', 'alert-receiver-secret-missing', 'alert-receiver-secret-inline', 'alert-receiver-bridge-missing', 'alertmanager-unreachable'],
  check(lab, findings) {
    const am = findRole(lab, 'alert-manager');
    if (!am) return;
    const receivers = lab.facts.alerts?.receivers ?? [];
    if (receivers.length === 0) {
      findings.error('alert-receiver-missing', 'shared/alerts.receivers', `${am.service.name} on ${am.host.name} has no receiver: every alert would end in Alertmanager. Choose one or more in the lab's facts, e.g. alerts: { receivers: [{ name: 'phone', kind: 'ntfy', topicUrl: 'https://ntfy.sh/<topic>', token: secret('alertmanager_ntfy_token') }] } (docs/hosts.md, Monitoring).`);
    }
    const declared = new Set((am.service.secrets ?? []).map((s) => s.name));
    const version = imageVersion(am.service.image);
    const seen = new Set<string>();
    for (const r of receivers) {
      const at = `shared/alerts.receivers.${r.name}`;
      if (!RECEIVER_NAME.test(r.name) || r.name === 'none' || seen.has(r.name)) {
        findings.error('alert-receiver-invalid', at, `receiver name "${r.name}" must be unique, lowercase letters, digits and '-', and not "none" (the silent root receiver).`);
      }
      seen.add(r.name);
      if (r.kind === 'ntfy' && !/^https?:\/\/[^/]+\/[^/?#]+$/.test(r.topicUrl)) {
        findings.error('alert-receiver-invalid', `${at}.topicUrl`, `ntfy topicUrl "${r.topicUrl}" is not a topic URL (http(s)://<server>/<topic>, no query: the kit adds ntfy's template parameters).`);
      }
      if (r.kind === 'email' && !/^[^:\s]+:\d+$/.test(r.smarthost)) {
        findings.error('alert-receiver-invalid', `${at}.smarthost`, `email smarthost "${r.smarthost}" needs host:port (e.g. smtp.example.net:587); Alertmanager refuses it without the port.`);
      }
      if (r.kind === 'telegram' && (!Number.isInteger(r.chatId) || r.chatId === 0)) {
        findings.error('alert-receiver-invalid', `${at}.chatId`, `telegram chatId ${r.chatId} is not a chat id (a whole number; a group's is negative).`);
      }
      for (const ref of receiverSecrets(r)) {
        if (!declared.has(ref.name)) {
          findings.error('alert-receiver-secret-missing', servicePath(am.host, am.service, 'secrets'), `receiver ${r.name} (${r.kind}) reads the secret "${ref.name}", which ${am.service.name} does not declare: it would never reach /run/secrets/${ref.name}. Add secret('${ref.name}') to its secrets and store the value (homelab secret set ${ref.name}).`);
        }
      }
      const since = RECEIVER_FORMS[r.kind].since;
      if (!version || !versionAtLeast(version, since)) {
        findings.error('alert-receiver-secret-inline', servicePath(am.host, am.service, 'image'), `receiver ${r.name} (${r.kind}) needs ${RECEIVER_FORMS[r.kind].fileField}, which Alertmanager reads from ${since} on; ${am.service.image} is ${version ?? 'of no known version'}: its secret would have to sit in alertmanager.yml. Pin prom/alertmanager ${since} or newer.`);
      }
      if (r.kind === 'gotify' && !lab.hosts.some((h) => h.services.some((s) => imageName(s.image) === GOTIFY_BRIDGE.imageName))) {
        findings.error('alert-receiver-bridge-missing', at, `receiver ${r.name} posts to Gotify, which refuses Alertmanager's webhook body: run the bridge (${GOTIFY_BRIDGE.image}, port ${GOTIFY_BRIDGE.port}, path ${GOTIFY_BRIDGE.path}) and point the receiver's URL at it.`);
      }
    }
    const store = findRole(lab, 'metrics-store');
    if (store && !alertmanagerTarget(lab, store.host)) {
      findings.error('alertmanager-unreachable', servicePath(am.host, am.service, 'ports'), `${store.service.name} on ${store.host.name} cannot reach ${am.service.name}'s port ${ALERTMANAGER_PORT}: it is not published on ${am.host.address}. Run it on ${store.host.name} or publish the port.`);
    }
  },
});
