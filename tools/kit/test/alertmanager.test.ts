import { describe, expect, it } from 'vitest';
import { alertmanagerConfig, findRole, parseYaml, prometheusConfig, renderHost } from '../src/internal.js';
import { realLab } from './fixtures.js';

const am = findRole(realLab, 'alert-manager')!;
const store = findRole(realLab, 'metrics-store')!;

interface AmConfig {
  route: { receiver: string };
  receivers: { name: string; webhook_configs: { url_file: string; url?: string }[] }[];
}

describe('Alertmanager', () => {
  const rendered = renderHost(realLab, am.host).artifacts.find((a) => a.kind === 'alertmanager')!;
  const config = parseYaml(rendered.content) as AmConfig;

  it('is rendered into the folder its service mounts at /etc/alertmanager', () => {
    expect(rendered.path).toBe('alertmanager/alertmanager.yml');
    expect(am.service.volumes).toContainEqual({ rendered: 'alertmanager', target: '/etc/alertmanager', readOnly: true });
    expect(am.service.command).toContain('--config.file=/etc/alertmanager/alertmanager.yml');
  });

  it('routes everything to one webhook whose URL it reads from its secret file, never inline', () => {
    expect(config.route.receiver).toBe('webhook');
    expect(config.receivers.map((r) => r.name)).toEqual(['webhook']);
    const hook = config.receivers[0]!.webhook_configs[0]!;
    expect(hook.url_file).toBe(`/run/secrets/${am.service.secrets![0]!.name}`);
    expect(hook.url).toBeUndefined();
  });

  it('is where Prometheus sends its alerts', () => {
    const prom = prometheusConfig(realLab, store.host) as { alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] } };
    expect(prom.alerting.alertmanagers[0]!.static_configs[0]!.targets).toEqual(['alertmanager:9093']);
  });

  it('renders nothing without exactly one secret (alert-receiver-missing says why)', () => {
    expect(alertmanagerConfig({ ...am, service: { ...am.service, secrets: [] } })).toBeUndefined();
    expect(alertmanagerConfig({ ...am, service: { ...am.service, secrets: [...am.service.secrets!, ...am.service.secrets!] } })).toBeUndefined();
  });
});
