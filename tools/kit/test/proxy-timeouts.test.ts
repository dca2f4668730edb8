import { describe, expect, it } from 'vitest';
import { validateLab, type Lab } from '../src/internal.js';
import { realLab } from './fixtures.js';
import { withService } from './mutate.js';

const KEY = 'TRAEFIK_ENTRYPOINTS_WEBSECURE_TRANSPORT_RESPONDINGTIMEOUTS_READTIMEOUT';
const found = (lab: Lab) => validateLab(lab).filter((f) => f.code === 'proxy-read-timeout-short').map((f) => f.path);
/** Traefik with its read timeout given as `env` (undefined: not set) and `command`. */
const traefik = (env: string | number | undefined, command?: string[]) =>
  withService(realLab, 'vm-infra', 'traefik', (s) => {
    const environment = Object.fromEntries(Object.entries(s.environment!).filter(([k]) => k !== KEY));
    return { ...s, environment: env === undefined ? environment : { ...environment, [KEY]: env }, ...(command ? { command } : {}) };
  });

describe('proxy-read-timeout-short', () => {
  it('passes the lab as it is (an hour)', () => expect(found(realLab)).toEqual([]));

  it("refuses Traefik's own 60s default, and anything under 10 minutes", () => {
    expect(found(traefik(undefined))).toEqual(['vm-infra/traefik/environment']);
    expect(found(traefik('9m59s'))).toEqual([`vm-infra/traefik/environment.${KEY}`]);
    expect(found(traefik(300))).toEqual([`vm-infra/traefik/environment.${KEY}`]);
  });

  it('takes 10 minutes or more, a bare number as seconds, 0 as no limit, and the command-line flag', () => {
    expect(found(traefik('10m'))).toEqual([]);
    expect(found(traefik(600))).toEqual([]);
    expect(found(traefik('0'))).toEqual([]);
    expect(found(traefik(undefined, ['--entryPoints.websecure.transport.respondingTimeouts.readTimeout=1h']))).toEqual([]);
    expect(found(traefik(undefined, ['--entryPoints.websecure.transport.respondingTimeouts.readTimeout=30s']))).toEqual(['vm-infra/traefik/command']);
  });
});
