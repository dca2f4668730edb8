import { describe, expect, it } from 'vitest';
import { inlinedFor025, realDaemonOf, realDaemonsNote } from '../src/standin/index.js';

// Which images the twin runs as Debian's real daemon (tools/twin/src/standin/real.ts); building
// them needs mmdebstrap and a dockerd: the system tier (standin.system.test.ts) does that.
describe('real daemons', () => {
  it('are chosen by image reference where Debian 12 ships the daemon; Immich\'s vector postgres keeps its stand-in', () => {
    expect(realDaemonOf('redis:8.10.2-alpine')?.package).toBe('redis-server');
    expect(realDaemonOf('valkey/valkey:9.1.0-alpine')?.provides['valkey-cli']).toBe('/usr/bin/redis-cli');
    expect(realDaemonOf('postgres:16.13-alpine')?.user.uid).toBe(70);
    expect(realDaemonOf('prom/alertmanager:v0.35.0')?.package).toBe('prometheus-alertmanager');
    expect(realDaemonOf('quay.io/prometheus/node-exporter:v1.12.1')?.entrypoint.path).toBe('/bin/node_exporter');
    expect(realDaemonOf('ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0')).toBeUndefined();
    expect(realDaemonOf('prom/prometheus:v3.0.0')).toBeUndefined();
  });

  it('alertmanager 0.25 gets inline what the kit\'s receivers read from a file only since a later version', () => {
    expect(inlinedFor025).toEqual(['bot_token_file', 'url_file', 'webhook_url_file']);
  });

  it('the report names each service once per daemon, with the Debian version (epoch dropped)', () => {
    const hosts = [
      { services: [{ name: 'redis', image: 'redis:8.10.2-alpine' }, { name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.12.1' }, { name: 'traefik', image: 'traefik:v3' }] },
      { services: [{ name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.12.1' }] },
    ];
    expect(realDaemonsNote(hosts, (d) => (d.package === 'redis-server' ? '5:7.0.15-1' : '1.5.0-1'))).toBe('real daemons: redis-server 7.0.15-1 (redis), prometheus-node-exporter 1.5.0-1 (node-exporter ×2)');
    expect(realDaemonsNote([{ services: [{ name: 'traefik', image: 'traefik:v3' }] }])).toBeUndefined();
  });
});
