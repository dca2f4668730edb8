/**
 * The images' own health commands, each a shim that asks the stand-in's port the real command
 * asks, for the reason written next to it. Only commands an image ships (imageFacts.ships) are
 * put in it, so a healthcheck calling anything else fails in the twin as in production.
 */
const HEAD = '#!/standin/busybox sh\n. /standin/lib.sh\n';

/** An image's program with a `healthcheck` subcommand: the check, or else the stand-in's main. */
function subcommand(check: string): string {
  return `${HEAD}if [ "$1" = healthcheck ]; then\n${check}\n  exit $?\nfi\nexec /standin/main "$@"\n`;
}

/** The paths the shims ask: every stand-in answers them on every TCP port. */
export const SHIM_PATHS = ['/-/health/live/', '/ping', '/alive', '/up', '/healthz', '/api/server/ping'] as const;

const SHIMS: Record<string, (image: string) => string> = {
  // authentik's `ak healthcheck`: the server asks its own /-/health/live/ on 9000; the worker
  // (`ak worker`, no port) checks that it is itself running.
  ak: () =>
    subcommand(`  if $BB tr '\\0' ' ' < /proc/1/cmdline | $BB grep -qw worker; then kill -0 1; exit $?; fi\n  standin_http 9000 /-/health/live/`),
  // gluetun's `healthcheck` asks its health server, HEALTH_SERVER_ADDRESS (127.0.0.1:9999).
  '/gluetun-entrypoint': () => subcommand('  standin_http 9999 /'),
  // `traefik healthcheck --ping` asks /ping on the entry point ping uses: `traefik`, :8080.
  traefik: () => subcommand('  standin_http 8080 /ping'),
  // Vaultwarden's /healthcheck.sh curls /alive on ROCKET_PORT (80 by default); Pelican's asks
  // Caddy's /up on 80, then PHP-FPM on 9000.
  '/healthcheck.sh': (image) =>
    image.includes('vaultwarden') ? `${HEAD}standin_http "\${ROCKET_PORT:-80}" /alive\n` : `${HEAD}standin_http 80 /up && standin_tcp 9000\n`,
  // cAdvisor's deploy/healthcheck.sh: wget /healthz on the port of its -port flag (8080).
  '/usr/bin/healthcheck.sh': () =>
    `${HEAD}port=8080\nfor a in $($BB tr '\\0' ' ' < /proc/1/cmdline); do case "$a" in -port=* | --port=*) port=\${a#*=} ;; esac; done\nstandin_http "$port" /healthz\n`,
  // Immich's immich-healthcheck asks the server's /api/server/ping on IMMICH_PORT (2283).
  'immich-healthcheck': () => `${HEAD}standin_http "\${IMMICH_PORT:-2283}" /api/server/ping\n`,
  // `python3 healthcheck.py` (Immich machine learning) asks /ping on IMMICH_PORT (3003); the
  // stand-in runs no other Python.
  python3: () => `${HEAD}[ "$1" = healthcheck.py ] || { echo 'standin: no Python here' >&2; exit 1; }\nstandin_http "\${IMMICH_PORT:-3003}" /ping\n`,
  // pg_isready: is the server accepting connections (the real one may use the unix socket; the
  // stand-in's server is its TCP port, PGPORT or -p, 5432).
  pg_isready: () =>
    `${HEAD}port=\${PGPORT:-5432}\nwhile [ $# -gt 0 ]; do case "$1" in -p) port=$2; shift ;; -p*) port=\${1#-p} ;; esac; shift; done\nif standin_tcp "$port"; then echo "127.0.0.1:$port - accepting connections"; else echo "127.0.0.1:$port - no response"; exit 2; fi\n`,
};

/** redis-cli / valkey-cli `ping`: PONG when the server's port (-p, 6379) answers. */
function cliPing(name: string): string {
  return `${HEAD}port=6379\nwhile [ $# -gt 0 ]; do case "$1" in -p) port=$2; shift ;; -h) shift ;; ping | PING) standin_tcp "$port" && { echo PONG; exit 0; }; echo "Could not connect to 127.0.0.1:$port" >&2; exit 1 ;; esac; shift; done\necho '${name}: the stand-in answers ping only' >&2\nexit 1\n`;
}
SHIMS['redis-cli'] = () => cliPing('redis-cli');
SHIMS['valkey-cli'] = () => cliPing('valkey-cli');
SHIMS['python'] = SHIMS['python3']!;

/** The shim of a shipped command, keyed by how the image ships it (`curl`, `/healthcheck.sh`); undefined when it has none. */
export function healthShim(command: string, image: string): string | undefined {
  const base = command.startsWith('/') && !(command in SHIMS) ? command.slice(command.lastIndexOf('/') + 1) : command;
  const shim = SHIMS[command] ?? SHIMS[base];
  return shim?.(image);
}
