import { describe, expect, it } from 'vitest';
import { age, formatPs } from '../src/commands/ps.js';

const now = Date.parse('2026-12-07T12:00:00Z');

describe('homelab ps output', () => {
  it('says how long ago a service started the way ps tools do', () => {
    expect([age(undefined, now), age('2026-12-07T11:59:15Z', now), age('2026-12-07T11:48:00Z', now), age('2026-12-07T08:47:00Z', now), age('2026-12-04T07:00:00Z', now)]).toEqual(['-', '45s', '12m', '3h 13m', '3d 5h']);
  });

  it('one aligned row per service, the image without its digest; then each one not running as the model says, and each host not read', () => {
    const text = formatPs(
      [
        {
          host: 'vm-media',
          release: 'r1',
          services: [
            { host: 'vm-media', service: 'sonarr', kind: 'container', state: 'running', health: 'healthy', since: '2026-12-07T11:00:00Z', image: 'lscr.io/linuxserver/sonarr:4@sha256:abc123', pinned: 'lscr.io/linuxserver/sonarr:4@sha256:abc123', restarts: 0, ok: true },
            { host: 'vm-media', service: 'radarr', kind: 'container', state: 'missing', pinned: 'lscr.io/linuxserver/radarr:5', ok: false, problem: 'no container' },
          ],
        },
        { host: 'lxc-dns', services: [{ host: 'lxc-dns', service: 'adguard', kind: 'unit', state: 'active (running)', since: '2026-12-06T12:00:00Z', restarts: 1, ok: true }] },
        { host: 'vm-apps', error: { code: 'ssh-timeout', message: 'no answer' } },
      ],
      now,
    );
    expect(text).toBe(
      [
        'HOST      SERVICE  KIND       STATE             HEALTH   UP     RESTARTS  IMAGE',
        'vm-media  sonarr   container  running           healthy  1h 0m  0         lscr.io/linuxserver/sonarr:4',
        'vm-media  radarr   container  missing           -        -      -         lscr.io/linuxserver/radarr:5',
        'lxc-dns   adguard  unit       active (running)  -        1d 0h  1         -',
        '',
        'vm-media/radarr: no container',
        'vm-apps: could not be read [ssh-timeout]: no answer',
        '',
      ].join('\n'),
    );
  });
});
