import { describe, expect, it } from 'vitest';
import { judgeHealth, parseContainers, serviceChanges, servicesOf, servicesToRecreate, type ContainerState } from '../../src/internal.js';

const c = (service: string, status: string, health = '', exitCode = 0, restart = 'unless-stopped', configHash = ''): ContainerState => ({ service, status, health, exitCode, restart, id: `id-${service}`, configHash });

describe('waiting for health', () => {
  it.each([
    ['all healthy', [c('a', 'running', 'healthy'), c('b', 'running')], 'healthy'],
    ['one starting', [c('a', 'running', 'starting'), c('b', 'running')], 'waiting'],
    ['one not created yet', [c('a', 'running', 'healthy')], 'waiting'],
    ['one restarting', [c('a', 'restarting'), c('b', 'running')], 'waiting'],
    ['one unhealthy', [c('a', 'running', 'unhealthy'), c('b', 'running')], 'failed'],
    ['one exited', [c('a', 'exited', '', 1), c('b', 'running')], 'failed'],
    ['a one-shot done (restart no, exit 0)', [c('a', 'exited', '', 0, 'no'), c('b', 'running')], 'healthy'],
  ] as const)('%s -> %s', (_name, containers, state) => {
    expect(judgeHealth(['a', 'b'], containers).state).toBe(state);
  });

  it('says which service failed and why, and what it still waits for', () => {
    expect(judgeHealth(['a', 'b'], [c('a', 'running', 'unhealthy'), c('b', 'running')])).toEqual({ state: 'failed', service: 'a', id: 'id-a', why: 'its healthcheck reports unhealthy' });
    expect(judgeHealth(['a', 'b'], [c('a', 'running', 'starting')])).toEqual({ state: 'waiting', pending: 'a (starting), b (no container yet)' });
  });

  it('reads docker inspect lines', () => {
    expect(parseContainers('web|running|healthy|0|unless-stopped|abc|h1\nold|exited||137|no|def|\n')).toEqual([
      { service: 'old', status: 'exited', health: '', exitCode: 137, restart: 'no', id: 'def', configHash: '' },
      { service: 'web', status: 'running', health: 'healthy', exitCode: 0, restart: 'unless-stopped', id: 'abc', configHash: 'h1' },
    ]);
  });
});

describe('which containers a deploy recreates', () => {
  it('changed definitions, and the services in their network namespace', () => {
    const before = { gluetun: { image: 'g:1' }, sonarr: { image: 's:1', network_mode: 'service:gluetun' }, jellyfin: { image: 'j:1' }, old: { image: 'o:1' } };
    const next = { gluetun: { image: 'g:2' }, sonarr: { image: 's:1', network_mode: 'service:gluetun' }, jellyfin: { image: 'j:1' }, bazarr: { image: 'b:1' } };
    expect(serviceChanges(next, before, [])).toEqual({ create: ['bazarr'], recreate: ['gluetun', 'sonarr'], remove: ['old'], unchanged: ['jellyfin'] });
    expect(serviceChanges(before, before, ['jellyfin'])).toMatchObject({ recreate: ['jellyfin'] });
  });

  it('a re-encrypted secret, or a changed file of the release it mounts, though its definition is the same', () => {
    const files = new Map([
      ['compose.yaml', 'services:\n  prom:\n    image: p:1\n    volumes:\n      - ./prometheus:/etc/prometheus:ro\n  app:\n    image: a:1\n    secrets:\n      - token\n  web:\n    image: w:1\n    volumes:\n      - type: bind\n        source: ./web/site.conf\n        target: /etc/site.conf\n'],
    ]);
    const services = servicesOf(files, ['compose.yaml']);
    expect(services).toEqual({ app: { secrets: ['token'], files: [] }, prom: { secrets: [], files: ['prometheus'] }, web: { secrets: [], files: ['web/site.conf'] } });
    const manifest = (prom: string, site: string) => ({ artifacts: [{ path: 'compose.yaml', kind: 'compose', sha256: 'c' }, { path: 'prometheus/prometheus.yml', kind: 'prometheus', sha256: prom }, { path: 'web/site.conf', kind: 'web', sha256: site }] });
    const before = { services, secrets: { token: 'f1' }, manifest: manifest('p1', 's1') };
    expect(servicesToRecreate({ services, secrets: { token: 'f1' }, manifest: manifest('p1', 's1') }, before)).toEqual([]);
    expect(servicesToRecreate({ services, secrets: { token: 'f2' }, manifest: manifest('p2', 's1') }, before)).toEqual(['app', 'prom']);
    expect(servicesToRecreate({ services, secrets: { token: 'f1' }, manifest: manifest('p1', 's2') }, before)).toEqual(['web']);
    expect(servicesToRecreate(before, undefined)).toEqual([]);
  });
});
