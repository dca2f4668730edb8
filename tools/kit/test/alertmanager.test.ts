import { describe, expect, it } from 'vitest';
import { GOTIFY_BRIDGE, NTFY_TEMPLATE, RECEIVER_FORMS, alertmanagerConfig, findRole, imageVersion, parseYaml, prometheusConfig, receiverSecrets, renderHost, versionAtLeast, type AlertReceiver } from '../src/internal.js';
import { realLab } from './fixtures.js';
import { everyReceiver } from './alert-receivers.js';

const am = findRole(realLab, 'alert-manager')!;
const store = findRole(realLab, 'metrics-store')!;

interface AmConfig {
  route: { receiver: string; routes: { receiver: string; matchers?: string[]; continue: boolean }[] };
  receivers: ({ name: string } & Record<string, Record<string, unknown>[]>)[];
}

describe('Alertmanager', () => {
  const rendered = renderHost(realLab, am.host).artifacts.find((a) => a.kind === 'alertmanager')!;
  const config = parseYaml(rendered.content) as AmConfig;

  it('is rendered into the folder its service mounts at /etc/alertmanager', () => {
    expect(rendered.path).toBe('alertmanager/alertmanager.yml');
    expect(am.service.volumes).toContainEqual({ rendered: 'alertmanager', target: '/etc/alertmanager', readOnly: true });
    expect(am.service.command).toContain('--config.file=/etc/alertmanager/alertmanager.yml');
  });

  it('sends every alert to each receiver the lab chose, reading its URL from the secret file, never inline', () => {
    const chosen = realLab.facts.alerts!.receivers;
    expect(config.route.receiver).toBe('none');
    expect(config.route.routes).toEqual(chosen.map((r) => ({ receiver: r.name, continue: true })));
    expect(config.receivers.map((r) => r.name)).toEqual(['none', ...chosen.map((r) => r.name)]);
    const hook = config.receivers[1]!.webhook_configs![0]!;
    expect(hook.url_file).toBe(`/run/secrets/${am.service.secrets![0]!.name}`);
    expect(hook.url).toBeUndefined();
  });

  it('is where Prometheus sends its alerts', () => {
    const prom = prometheusConfig(realLab, store.host) as { alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
    expect(prom.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(['alertmanager:9093']);
  });

  it('renders nothing without a receiver (alert-receiver-missing says why)', () => {
    expect(alertmanagerConfig(am, [])).toBeUndefined();
    expect(alertmanagerConfig(am, undefined)).toBeUndefined();
  });
});

describe('every receiver kind', () => {
  const config = alertmanagerConfig(am, everyReceiver) as unknown as AmConfig;
  const entry = (name: string) => {
    const r = config.receivers.find((x) => x.name === name)!;
    const key = Object.keys(r).find((k) => k.endsWith('_configs'))!;
    return { key, cfg: r[key]![0]! };
  };

  it('uses Alertmanager\'s own notifier where there is one, the webhook for ntfy and the Gotify bridge', () => {
    expect(everyReceiver.map((r) => [r.name, entry(r.name).key])).toEqual([
      ['mail', 'email_configs'],
      ['slack', 'slack_configs'],
      ['discord', 'discord_configs'],
      ['telegram', 'telegram_configs'],
      ['hook', 'webhook_configs'],
      ['phone', 'webhook_configs'],
      ['gotify', 'webhook_configs'],
    ]);
  });

  it('reads each secret from its file on the pinned Alertmanager, and no secret value is in the file', () => {
    expect(imageVersion(am.service.image)).toBe('0.35.0');
    const files = (cfg: Record<string, unknown>): string[] => Object.entries(cfg).flatMap(([k, v]) => (k.endsWith('_file') ? [String(v)] : typeof v === 'object' && v ? files(v as Record<string, unknown>) : []));
    for (const r of everyReceiver) {
      const cfg = entry(r.name).cfg;
      expect(files(cfg), r.name).toEqual(receiverSecrets(r).map((s) => `/run/secrets/${s.name}`));
      const path = RECEIVER_FORMS[r.kind].fileField.split('.');
      expect(path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], cfg), r.name).toBe(`/run/secrets/${receiverSecrets(r)[0]!.name}`);
      expect(JSON.stringify(cfg)).not.toContain('@@homelab-secret');
    }
  });

  it('sends resolved notifications everywhere, and a critical-only receiver only critical alerts', () => {
    for (const r of everyReceiver) expect(entry(r.name).cfg.send_resolved, r.name).toBe(true);
    expect(config.route.routes.find((r) => r.receiver === 'telegram')).toEqual({ receiver: 'telegram', matchers: ['severity="critical"'], continue: true });
  });

  it('gives ntfy its template parameters and the token as a bearer token from its file', () => {
    const cfg = entry('phone').cfg as { url: string; http_config: { authorization: Record<string, string> } };
    const url = new URL(cfg.url);
    expect(url.origin + url.pathname).toBe('https://ntfy.sh/homelab-alerts');
    expect(Object.fromEntries(url.searchParams)).toEqual({ template: 'yes', title: NTFY_TEMPLATE.title, message: NTFY_TEMPLATE.message });
    expect(cfg.http_config.authorization).toEqual({ type: 'Bearer', credentials_file: '/run/secrets/alertmanager_ntfy_token' });
  });

  it('on an Alertmanager older than a field, writes that secret inline as asked (Debian\'s 0.25 in the checks)', () => {
    const old = alertmanagerConfig(am, everyReceiver, { version: '0.25.0', inline: (ref) => `<${ref.name}>` }) as unknown as AmConfig;
    const cfg = (name: string) => Object.values(old.receivers.find((x) => x.name === name)!).find(Array.isArray)![0] as Record<string, unknown>;
    // 0.25 reads email's and Slack's (and http_config's) secrets from files, not the others'.
    expect(cfg('mail').auth_password_file).toBe('/run/secrets/alertmanager_smtp_password');
    expect(cfg('slack').api_url_file).toBe('/run/secrets/alertmanager_slack_url');
    expect(cfg('discord')).toMatchObject({ webhook_url: '<alertmanager_discord_url>' });
    expect(cfg('telegram')).toMatchObject({ bot_token: '<alertmanager_telegram_bot_token>' });
    expect(cfg('hook')).toMatchObject({ url: '<alertmanager_webhook_url>' });
    expect(cfg('telegram').bot_token_file).toBeUndefined();
  });

  it('knows the versions it checked: each file field from its release on', () => {
    expect(versionAtLeast('0.35.0', '0.27.0')).toBe(true);
    expect(versionAtLeast('0.26.1', '0.27.0')).toBe(false);
    expect(versionAtLeast('1.0.0', '0.27.0')).toBe(true);
    expect(imageVersion('prom/alertmanager:v0.27.0@sha256:abc')).toBe('0.27.0');
    expect(imageVersion('prom/alertmanager:latest')).toBeUndefined();
    expect(GOTIFY_BRIDGE.image).toMatch(/:v\d+\.\d+\.\d+$/);
  });

  it('every kind has a sample here (a new kind gets one)', () => {
    const kinds = new Set<AlertReceiver['kind']>(everyReceiver.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(Object.keys(RECEIVER_FORMS).sort());
  });
});
