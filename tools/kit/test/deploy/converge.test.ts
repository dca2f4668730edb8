import { describe, expect, it } from 'vitest';
import { containerReasons, recordReasons, runningAfter, type ContainerState, type HistoryEntry, type ReleaseInfo, type RemoteState } from '../../src/internal.js';

const entry = (release: string, result: HistoryEntry['result'], extra: Partial<HistoryEntry> = {}): HistoryEntry => ({ by: 'a', commit: 'c', at: 't', action: 'deploy', release, result, ...extra });
const state = (current: string | undefined, history: HistoryEntry[], pending?: RemoteState['pending']): RemoteState => ({ ...(current ? { current } : {}), releases: [], history, ...(pending ? { pending } : {}) });
const info = { id: 'r2', services: { web1: {}, web2: {} }, composeFiles: ['compose.yaml'] } as unknown as ReleaseInfo;
const c = (service: string, configHash: string, status = 'running', health = 'healthy'): ContainerState => ({ service, status, health, exitCode: 0, restart: 'unless-stopped', id: `id-${service}`, configHash });

describe('what runs healthy after a record entry', () => {
  it('the deployed release, the one rolled back to, or none', () => {
    expect(runningAfter(entry('r2', 'ok'))).toBe('r2');
    expect(runningAfter(entry('r3', 'rolled-back', { previous: 'r2' }))).toBe('r2');
    expect(runningAfter(entry('r3', 'failed', { previous: 'r2' }))).toBeUndefined();
  });
});

describe('whether the record says `current` runs healthy', () => {
  it('agrees after a good deploy and after a rollback to it', () => {
    expect(recordReasons(state('r2', [entry('r2', 'ok')]))).toEqual([]);
    expect(recordReasons(state('r2', [entry('r2', 'ok'), entry('r3', 'rolled-back', { previous: 'r2' })]))).toEqual([]);
  });

  it('does not after an interrupted switch, a failed rollback, or with no record', () => {
    expect(recordReasons(state('r3', [entry('r2', 'ok')], { action: 'deploy', release: 'r3', previous: 'r2', by: 'a', since: 't' }))[0]).toContain('a deploy of r3 by a (since t) did not finish');
    expect(recordReasons(state('r2', [entry('r2', 'ok'), entry('r3', 'failed', { previous: 'r2' })]))[0]).toContain('does not say r2 runs healthy');
    expect(recordReasons(state('r2', [entry('r1', 'ok')]))[0]).toContain('does not say r2 runs healthy');
    expect(recordReasons(state('r2', []))[0]).toContain('no deploy record says r2');
    expect(recordReasons(state(undefined, []))).toEqual([]);
  });
});

describe('whether the containers are the recorded release', () => {
  const history = [entry('r2', 'ok', { containers: { web1: 'h1', web2: 'h2' } })];

  it('agree when every service runs healthy with its recorded config hash', () => {
    expect(containerReasons(info, history, [c('web1', 'h1'), c('web2', 'h2')])).toEqual([]);
  });

  it('name a removed, a changed, an unhealthy and a foreign container', () => {
    expect(containerReasons(info, history, [c('web1', 'h1')])).toEqual(['web2 has no container']);
    expect(containerReasons(info, history, [c('web1', 'hX'), c('web2', 'h2')])[0]).toMatch(/^web1's container was changed/);
    expect(containerReasons(info, history, [c('web1', 'h1'), c('web2', 'h2', 'exited', '')])[0]).toMatch(/^web2 is not healthy/);
    expect(containerReasons(info, history, [c('web1', 'h1'), c('web2', 'h2', 'running', 'starting')])[0]).toMatch(/^web2 is not healthy yet/);
    expect(containerReasons(info, history, [c('web1', 'h1'), c('web2', 'h2'), c('old', 'h9')])).toEqual(['old runs but is not part of r2']);
  });

  it('without recorded hashes (a record from before they were kept), check presence and health only', () => {
    expect(containerReasons(info, [entry('r2', 'ok')], [c('web1', 'x'), c('web2', 'y')])).toEqual([]);
  });
});
