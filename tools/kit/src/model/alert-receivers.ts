import type { SecretRef } from './secret.js';

/**
 * Where the lab's alerts reach the owner: receivers chosen in the lab's facts (`alerts.receivers`),
 * each with the secret that carries its URL or token. Alertmanager reads every secret from its
 * file (/run/secrets/<name>), so no URL or token ever sits in the rendered alertmanager.yml.
 *
 * Email, Slack, Discord, Telegram and a plain webhook are Alertmanager's own notifiers. ntfy and
 * Gotify want their own body: ntfy formats Alertmanager's webhook JSON itself through its message
 * templates (`?template=yes`, docs/publish.md "Message templating" of binwiederhier/ntfy, read
 * 2026-12-07); Gotify rejects it and is reached through a bridge (GOTIFY_BRIDGE below).
 */
export type AlertReceiver = EmailReceiver | SlackReceiver | DiscordReceiver | TelegramReceiver | WebhookReceiver | NtfyReceiver | GotifyReceiver;

interface ReceiverBase {
  /** Alertmanager's receiver name: lowercase letters, digits and '-'. */
  readonly name: string;
  /** Only alerts of this severity or worse (default `warning`, i.e. every alert). */
  readonly minSeverity?: 'warning' | 'critical';
}

export interface EmailReceiver extends ReceiverBase {
  readonly kind: 'email';
  readonly to: string;
  readonly from: string;
  /** The SMTP server, host:port (587 for STARTTLS). */
  readonly smarthost: string;
  readonly username: string;
  /** The SMTP password (`auth_password_file`). */
  readonly password: SecretRef;
}

export interface SlackReceiver extends ReceiverBase {
  readonly kind: 'slack';
  /** The incoming webhook's URL (`api_url_file`). */
  readonly url: SecretRef;
  readonly channel?: string;
}

export interface DiscordReceiver extends ReceiverBase {
  readonly kind: 'discord';
  /** The channel webhook's URL, which carries its token (`webhook_url_file`). */
  readonly url: SecretRef;
}

export interface TelegramReceiver extends ReceiverBase {
  readonly kind: 'telegram';
  /** The chat the bot posts to (a group's id is negative). */
  readonly chatId: number;
  /** The bot's token from @BotFather (`bot_token_file`). */
  readonly botToken: SecretRef;
}

export interface WebhookReceiver extends ReceiverBase {
  readonly kind: 'webhook';
  /** Any endpoint that takes Alertmanager's webhook JSON; its URL often carries a token (`url_file`). */
  readonly url: SecretRef;
}

export interface NtfyReceiver extends ReceiverBase {
  readonly kind: 'ntfy';
  /** The topic's URL, e.g. https://ntfy.sh/homelab-alerts: the kit adds ntfy's template parameters. */
  readonly topicUrl: string;
  /** An ntfy access token (`ntfy token add`, or the web app's Account page), sent as a bearer token. */
  readonly token: SecretRef;
}

export interface GotifyReceiver extends ReceiverBase {
  readonly kind: 'gotify';
  /**
   * The bridge's webhook URL with the Gotify application token as its `token` parameter, e.g.
   * http://gotify-bridge:8080/gotify_webhook?token=A1b2... (`url_file`): the lab must run the bridge.
   */
  readonly url: SecretRef;
}

export type AlertReceiverKind = AlertReceiver['kind'];

/** The lab's choice of receivers (LabFacts.alerts). */
export interface AlertFacts {
  readonly receivers: readonly AlertReceiver[];
}

/**
 * How Alertmanager reads each kind's secret from a file, and since which version: read in
 * prometheus/alertmanager's config (config/notifiers.go at v0.25.0, v0.26.0, v0.27.0; the
 * notify/<kind>/config.go files at main 68fb2d5, 2026-08-22), on 2026-12-07. Debian 12's
 * prometheus-alertmanager (and its amtool) is 0.25.0, which knows only email's and Slack's.
 */
export const RECEIVER_FORMS = {
  email: { configs: 'email_configs', fileField: 'auth_password_file', since: '0.25.0' },
  slack: { configs: 'slack_configs', fileField: 'api_url_file', since: '0.25.0' },
  // discord_configs exists in 0.25.0 with webhook_url only; webhook_url_file came in 0.27.0.
  discord: { configs: 'discord_configs', fileField: 'webhook_url_file', since: '0.27.0' },
  // bot_token_file came in 0.26.0 (chat_id_file in 0.31.0; chat_id stays a fact here).
  telegram: { configs: 'telegram_configs', fileField: 'bot_token_file', since: '0.26.0' },
  webhook: { configs: 'webhook_configs', fileField: 'url_file', since: '0.26.0' },
  // http_config.authorization.credentials_file (prometheus/common), read by 0.25.0 already.
  ntfy: { configs: 'webhook_configs', fileField: 'http_config.authorization.credentials_file', since: '0.25.0' },
  gotify: { configs: 'webhook_configs', fileField: 'url_file', since: '0.26.0' },
} as const satisfies Record<AlertReceiverKind, { configs: string; fileField: string; since: string }>;

/**
 * The Gotify bridge the `gotify` receiver needs: it takes Alertmanager's webhook and posts each
 * alert to Gotify's /message API (X-Gotify-Key), the token from the request's `token` parameter
 * (DRuggeri/alertmanager_gotify_bridge, README.md and main.go at 5eb7a36; release v2.3.2,
 * 2025-02-13; read 2026-12-07). It listens on 8080, path /gotify_webhook.
 */
export const GOTIFY_BRIDGE = {
  imageName: 'alertmanager_gotify_bridge',
  image: 'ghcr.io/druggeri/alertmanager_gotify_bridge:v2.3.2',
  port: 8080,
  path: '/gotify_webhook',
} as const;

/** The secrets a receiver reads. */
export function receiverSecrets(r: AlertReceiver): SecretRef[] {
  switch (r.kind) {
    case 'email':
      return [r.password];
    case 'telegram':
      return [r.botToken];
    case 'ntfy':
      return [r.token];
    default:
      return [r.url];
  }
}

/** 0.35.0 from prom/alertmanager:v0.35.0 (a digest after the tag is ignored); undefined for no numeric tag. */
export function imageVersion(image: string): string | undefined {
  const tag = /:v?(\d+\.\d+\.\d+)(?:@|$)/.exec(image.split('/').pop()!);
  return tag?.[1];
}

/** a >= b, for x.y.z versions. */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) > (pb[i] ?? 0);
  return true;
}
