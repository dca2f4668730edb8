import { secret, type AlertReceiver } from '../src/internal.js';

/** One receiver of every kind the kit renders: the amtool check and the unit tests read them all. */
export const everyReceiver: readonly AlertReceiver[] = [
  { name: 'mail', kind: 'email', to: 'owner@example.net', from: 'homelab@example.net', smarthost: 'smtp.example.net:587', username: 'homelab@example.net', password: secret('alertmanager_smtp_password') },
  { name: 'slack', kind: 'slack', url: secret('alertmanager_slack_url'), channel: '#homelab' },
  { name: 'discord', kind: 'discord', url: secret('alertmanager_discord_url') },
  { name: 'telegram', kind: 'telegram', chatId: -1001234567890, botToken: secret('alertmanager_telegram_bot_token'), minSeverity: 'critical' },
  { name: 'hook', kind: 'webhook', url: secret('alertmanager_webhook_url') },
  { name: 'phone', kind: 'ntfy', topicUrl: 'https://ntfy.sh/homelab-alerts', token: secret('alertmanager_ntfy_token') },
  { name: 'gotify', kind: 'gotify', url: secret('alertmanager_gotify_url') },
];

/** A value of the right shape for each secret, as a deploy would fill in (inline, for an Alertmanager without its `_file` field). */
export function sampleSecret(name: string): string {
  if (name.endsWith('_token') || name.endsWith('_password')) return `sample-${name}`;
  return `https://hooks.example.net/${name}`;
}
