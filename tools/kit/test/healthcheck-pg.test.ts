import { describe, expect, it } from 'vitest';
import { pgIsreadyOnSocket } from '../src/validate/rules/healthcheck.js';

describe('pg_isready over the Unix socket (the init\'s temporary server answers there)', () => {
  it.each([
    [['CMD-SHELL', 'pg_isready -d nextcloud -U nextcloud'], undefined, true],
    [['CMD', 'pg_isready', '-U', 'x'], undefined, true],
    [['CMD-SHELL', 'pg_isready -h /var/run/postgresql -U x'], undefined, true],
    [['CMD-SHELL', 'pg_isready -h 127.0.0.1 -d nextcloud -U nextcloud'], undefined, false],
    [['CMD', '/usr/bin/pg_isready', '--host=localhost'], undefined, false],
    [['CMD-SHELL', 'pg_isready -h127.0.0.1'], undefined, false],
    [['CMD-SHELL', 'pg_isready -U x'], { PGHOST: '127.0.0.1' }, false],
    [['CMD', 'curl', '-f', 'http://localhost/'], undefined, false],
  ] as const)('%j with %j: %s', (test, env, socket) => {
    expect(pgIsreadyOnSocket(test, env)).toBe(socket);
  });
});
