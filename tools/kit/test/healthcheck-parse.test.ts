import { describe, expect, it } from 'vitest';
import { healthcheckCommands, healthcheckUrls, shipsCommand } from '../src/internal.js';

describe('what a healthcheck calls and asks', () => {
  it.each([
    [['CMD', 'curl', '-fsS', 'http://localhost:8096/health'], ['curl']],
    [['CMD', '/bin/ash', '/healthcheck.sh'], ['/bin/ash', '/healthcheck.sh']],
    [['CMD', 'sh', '-c', 'wget -q -O- http://127.0.0.1/ || exit 1'], ['sh', 'wget']],
    [['CMD-SHELL', 'pg_isready -d immich -U postgres && PGPORT=5432 psql -c "select 1"'], ['sh', 'pg_isready', 'psql']],
    [['NONE'], []],
  ])('%j calls %j', (test, commands) => expect(healthcheckCommands(test)).toEqual(commands));

  it('reads the port and path of local URLs, 80/443 by default, and ignores other hosts', () => {
    expect(healthcheckUrls({ test: ['CMD', 'curl', '-f', 'http://localhost:8096/health', 'https://[::1]/x?y=1', 'http://127.0.0.1', 'http://example.org:9/'] })).toEqual([
      { port: 8096, path: '/health' },
      { port: 443, path: '/x' },
      { port: 80, path: '/' },
    ]);
  });

  it('matches a bare name with the same program in a PATH directory, and back', () => {
    expect(shipsCommand(['curl'], '/usr/bin/curl')).toBe(true);
    expect(shipsCommand(['/usr/bin/healthcheck.sh'], 'healthcheck.sh')).toBe(true);
    expect(shipsCommand(['/healthcheck.sh'], 'healthcheck.sh')).toBe(false);
    expect(shipsCommand(['wget'], 'curl')).toBe(false);
  });
});
