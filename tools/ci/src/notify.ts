import { createHash } from 'node:crypto';

/**
 * Deploy failures, rollbacks and drift, sent to one notification target: an ntfy topic URL
 * (ntfy's headers carry title, priority and tags) or a webhook that takes Alertmanager's webhook
 * JSON (version 4, prometheus/alertmanager docs/configuration.md `<webhook_config>`, read
 * 2026-12-07), so the receivers the lab's Alertmanager posts to (a webhook, the Gotify bridge,
 * an ntfy topic with the lab's templates) take CI's events as they take its alerts. An access
 * token (the ntfy receiver's, or a webhook's bearer token) goes in the Authorization header.
 */

export type NotificationKind = 'deploy-failed' | 'rolled-back' | 'drift' | 'drift-error';

export interface NotificationEvent {
  readonly kind: NotificationKind;
  readonly host: string;
  /** What happened, in a sentence or a few lines (drift findings, the failing step). */
  readonly detail: string;
  /** The workflow run to look at. */
  readonly runUrl?: string;
  readonly commit?: string;
}

export type TargetFormat = 'ntfy' | 'webhook';

export interface NotificationOptions {
  /** Sent as `Authorization: Bearer <token>` (HOMELAB_NOTIFY_TOKEN). */
  readonly token?: string;
  /** When the event happened, RFC 3339 (the webhook's startsAt); the caller's clock, so tests pass one. */
  readonly at: string;
}

/** The alert name each event carries in the webhook body, as Alertmanager's alerts carry theirs. */
const ALERT_NAMES: Record<NotificationKind, string> = {
  'deploy-failed': 'DeployFailed',
  'rolled-back': 'DeployRolledBack',
  drift: 'HostDrifted',
  'drift-error': 'DriftCheckFailed',
};

export interface HttpRequest {
  readonly url: string;
  readonly method: 'POST';
  readonly headers: Record<string, string>;
  readonly body: string;
}

const TITLES: Record<NotificationKind, (host: string) => string> = {
  'deploy-failed': (host) => `homelab: deploy of ${host} failed`,
  'rolled-back': (host) => `homelab: ${host} rolled back`,
  drift: (host) => `homelab: ${host} drifted from the code`,
  'drift-error': (host) => `homelab: drift check of ${host} could not run`,
};

const NTFY: Record<NotificationKind, { priority: string; tags: string }> = {
  'deploy-failed': { priority: 'high', tags: 'rotating_light,homelab' },
  'rolled-back': { priority: 'high', tags: 'rewind,homelab' },
  drift: { priority: 'default', tags: 'warning,homelab' },
  'drift-error': { priority: 'default', tags: 'question,homelab' },
};

/** ntfy when the format says so, or when the URL is an ntfy server (ntfy.sh or a host named ntfy). */
export function targetFormat(url: string, format?: string): TargetFormat {
  if (format === 'ntfy' || format === 'webhook') return format;
  if (format) throw new Error(`HOMELAB_NOTIFY_FORMAT is ${format}: expected ntfy or webhook`);
  return /^https?:\/\/(?:[^/]*\.)?ntfy\b/i.test(url) ? 'ntfy' : 'webhook';
}

/** The HTTP request that announces the event; plain data, so a test reads exactly what is sent. */
export function notificationRequest(event: NotificationEvent, url: string, format: TargetFormat, options: NotificationOptions): HttpRequest {
  const title = TITLES[event.kind](event.host);
  const lines = [event.detail.trim(), event.commit ? `commit ${event.commit.slice(0, 12)}` : '', event.runUrl ?? ''].filter(Boolean);
  if (format === 'ntfy') {
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      // Header values are Latin-1 by HTTP's rules: ntfy reads RFC 2047 encoded words for the rest.
      title: /^[\x20-\x7e]*$/.test(title) ? title : `=?UTF-8?B?${Buffer.from(title).toString('base64')}?=`,
      priority: NTFY[event.kind].priority,
      tags: NTFY[event.kind].tags,
    };
    if (event.runUrl) headers.click = event.runUrl;
    return { url, method: 'POST', headers: withToken(headers, options.token), body: lines.join('\n') };
  }
  const labels = { alertname: ALERT_NAMES[event.kind], host: event.host, severity: event.kind === 'drift' ? 'warning' : 'critical', source: 'homelab-ci' };
  const annotations = { summary: title, description: lines.join('\n') };
  const groupLabels = { alertname: labels.alertname, host: event.host };
  const body = {
    version: '4',
    groupKey: `{}:{alertname="${labels.alertname}", host="${event.host}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'homelab-ci',
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: event.runUrl ?? '',
    alerts: [{ status: 'firing', labels, annotations, startsAt: options.at, endsAt: '0001-01-01T00:00:00Z', generatorURL: event.runUrl ?? '', fingerprint: createHash('sha256').update(`${event.kind}/${event.host}/${event.commit ?? ''}`).digest('hex').slice(0, 16) }],
  };
  return { url, method: 'POST', headers: withToken({ 'content-type': 'application/json' }, options.token), body: JSON.stringify(body) };
}

function withToken(headers: Record<string, string>, token: string | undefined): Record<string, string> {
  return token ? { ...headers, authorization: `Bearer ${token.trim()}` } : headers;
}

/** Sends it; a target that answers with an error fails loudly (the workflow step shows it). */
export async function sendNotification(request: HttpRequest): Promise<void> {
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
  if (!response.ok) throw new Error(`notification to ${new URL(request.url).host} failed: ${response.status} ${await response.text()}`);
}
