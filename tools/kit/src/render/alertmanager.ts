import type { Lab } from '../model/lab.js';
import type { HostDef } from '../model/host.js';
import type { SecretRef } from '../model/secret.js';
import { findRole, type Placed } from '../model/wiring.js';
import { RECEIVER_FORMS, imageVersion, versionAtLeast, type AlertReceiver } from '../model/alert-receivers.js';
import type { Artifact } from './artifact.js';
import { secretPlaceholder } from './secret-placeholder.js';
import { toYaml } from './yaml.js';

export const ALERTMANAGER_DIR = 'alertmanager';

/** The receiver every alert passes through first; it sends nothing, each chosen receiver is a child route. */
const ROOT_RECEIVER = 'none';

/**
 * ntfy's message templates over Alertmanager's webhook JSON (status, groupLabels, alerts[].annotations):
 * ntfy v2.10.0+ fills `title` and `message` from the body when `template=yes` (binwiederhier/ntfy
 * docs/publish.md "Message templating", server/server.go parsePublishParams; read 2026-12-07).
 * ntfy turns a literal `\n` in `message` into a line break.
 */
export const NTFY_TEMPLATE = {
  title: '[{{.status}}] {{.groupLabels.alertname}} on {{.groupLabels.host}}',
  message: '{{range .alerts}}{{.status}}: {{.annotations.summary}}\\n{{end}}',
} as const;

/** The topic URL with ntfy's template parameters. */
export function ntfyTemplateUrl(topicUrl: string): string {
  const url = new URL(topicUrl);
  url.searchParams.set('template', 'yes');
  url.searchParams.set('title', NTFY_TEMPLATE.title);
  url.searchParams.set('message', NTFY_TEMPLATE.message);
  return url.toString();
}

export interface AlertmanagerRenderOptions {
  /**
   * The Alertmanager that reads the file (default: the version of the service's image tag). A
   * secret its version cannot read from a file is written inline as `inline` gives it (default:
   * a deploy placeholder); `alert-receiver-secret-inline` keeps the lab itself from ever needing that.
   */
  readonly version?: string;
  readonly inline?: (ref: SecretRef) => string;
}

function secretFile(ref: SecretRef): string {
  return `/run/secrets/${ref.name}`;
}

/** One receiver's `<kind>_configs` entry, its secret read from /run/secrets/<name> where the version can. */
export function receiverConfig(r: AlertReceiver, version: string | undefined, inline: (ref: SecretRef) => string): Record<string, unknown> {
  const form = RECEIVER_FORMS[r.kind];
  const fromFile = version !== undefined && versionAtLeast(version, form.since);
  const secret = (ref: SecretRef, plain: string, file: string): Record<string, string> => (fromFile ? { [file]: secretFile(ref) } : { [plain]: inline(ref) });
  switch (r.kind) {
    case 'email':
      return { to: r.to, from: r.from, smarthost: r.smarthost, auth_username: r.username, ...secret(r.password, 'auth_password', 'auth_password_file'), send_resolved: true };
    case 'slack':
      return { ...secret(r.url, 'api_url', 'api_url_file'), ...(r.channel ? { channel: r.channel } : {}), send_resolved: true };
    case 'discord':
      return { ...secret(r.url, 'webhook_url', 'webhook_url_file'), send_resolved: true };
    case 'telegram':
      return { ...secret(r.botToken, 'bot_token', 'bot_token_file'), chat_id: r.chatId, send_resolved: true };
    case 'ntfy':
      return { url: ntfyTemplateUrl(r.topicUrl), send_resolved: true, http_config: { authorization: { type: 'Bearer', ...secret(r.token, 'credentials', 'credentials_file') } } };
    case 'webhook':
    case 'gotify':
      return { ...secret(r.url, 'url', 'url_file'), send_resolved: true };
  }
}

/**
 * alertmanager.yml: every alert goes through a silent root receiver to each receiver the lab
 * chose (a child route with `continue`), grouped by alert and host. Undefined without receivers
 * (`alert-receiver-missing` says why).
 */
export function alertmanagerConfig(am: Placed, receivers: readonly AlertReceiver[] | undefined, options: AlertmanagerRenderOptions = {}): Record<string, unknown> | undefined {
  if (!receivers?.length) return undefined;
  const version = options.version ?? imageVersion(am.service.image);
  const inline = options.inline ?? secretPlaceholder;
  return {
    route: {
      receiver: ROOT_RECEIVER,
      group_by: ['alertname', 'host'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: receivers.map((r) => ({ receiver: r.name, ...(r.minSeverity === 'critical' ? { matchers: ['severity="critical"'] } : {}), continue: true })),
    },
    // A pool that is degraded says why a dataset or target looks wrong: hold those back meanwhile.
    inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['host'] }],
    receivers: [{ name: ROOT_RECEIVER }, ...receivers.map((r) => ({ name: r.name, [RECEIVER_FORMS[r.kind].configs]: [receiverConfig(r, version, inline)] }))],
  };
}

const HEADER = ['Alertmanager: the receivers the lab chose (tools/kit/src/render/alertmanager.ts). Do not edit.'];

/** On the Alertmanager's host: alertmanager/alertmanager.yml. */
export function renderAlertmanager(lab: Lab, host: HostDef): Artifact[] {
  const am = findRole(lab, 'alert-manager');
  if (am?.host !== host) return [];
  const config = alertmanagerConfig(am, lab.facts.alerts?.receivers);
  return config ? [{ path: `${ALERTMANAGER_DIR}/alertmanager.yml`, kind: 'alertmanager', content: toYaml(config, { header: HEADER }) }] : [];
}
