import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheKey, cachedDir, type CacheEntry } from '../debian/archive.js';
import { RECEIVER_FORMS, versionAtLeast } from '@homelab/kit/internal';
import { alertmanager025, POSTGRES_ENTRYPOINT, redisEntrypoint } from './entrypoints.js';
import { LIB, WGET } from './scripts.js';
import type { StandinService } from './spec.js';

/**
 * Real daemons in place of stand-ins: where Debian bookworm ships the daemon an image runs, the
 * image is a Debian root with that package (mmdebstrap, made once per machine and cached, keyed by
 * its package list), the image's daemon user at the image's uid, our own entrypoint that starts it
 * as the official image does (entrypoints.ts), and the names the image's facts say it ships
 * (valkey-cli is Debian's redis-cli). The twin's probes find their /standin/busybox in it too.
 */

export const REAL_SUITE = 'bookworm';
export const REAL_MIRROR = 'http://deb.debian.org/debian';

/** One daemon Debian ships. */
export interface RealDaemon {
  /** What the report calls it. */
  readonly name: string;
  /** The Debian package whose version the report gives. */
  readonly package: string;
  /** What mmdebstrap installs (minbase plus these). */
  readonly include: readonly string[];
  /** The daemon's user as the image has it (name, uid, gid), and the paths that user owns. */
  readonly user: { readonly name: string; readonly uid: number; readonly gid: number; readonly owns: readonly string[] };
  /** The image's ENTRYPOINT (absolute) and the script put there, or the program it links to. */
  readonly entrypoint: { readonly path: string; readonly script: string } | { readonly path: string; readonly link: string };
  /** The image's default command (compose's `command` replaces it). */
  readonly cmd: readonly string[];
  readonly workdir: string;
  /** The PATH the image has. */
  readonly path: string;
  /** A shipped name -> the Debian program it is (absolute, in the root). */
  readonly provides: Readonly<Record<string, string>>;
  /** mmdebstrap customize hooks (`$1` is the root), part of the cache key. */
  readonly hooks: readonly string[];
}

/**
 * What every real-daemon root drops after install, to keep the images small (each is imported
 * into every VM that runs it): documentation, translations, apt's lists and cache, and
 * postgres's JIT bitcode (only for inlining; JIT itself stays).
 */
const SLIM = 'rm -rf "$1"/usr/share/doc/* "$1"/usr/share/man/* "$1"/usr/share/locale/* "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/usr/lib/postgresql/*/lib/bitcode';

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * redis-server 7 for the official redis image (Alpine: user redis 999:1000, WORKDIR /data, CMD
 * redis-server; redis/docker-library-redis alpine/Dockerfile) and valkey's (valkey-io/valkey-container
 * alpine/Dockerfile: the same user, ids and layout, CMD valkey-server), read 2026-12-07.
 */
function redis(cmd: string): RealDaemon {
  return {
    name: 'redis-server',
    package: 'redis-server',
    include: ['redis-server'],
    user: { name: cmd.startsWith('valkey') ? 'valkey' : 'redis', uid: 999, gid: 1000, owns: ['data', 'var/lib/redis', 'var/log/redis'] },
    entrypoint: { path: '/usr/local/bin/docker-entrypoint.sh', script: redisEntrypoint(999, 1000) },
    cmd: [cmd],
    workdir: '/data',
    path: PATH,
    provides: { 'redis-server': '/usr/bin/redis-server', 'redis-cli': '/usr/bin/redis-cli', 'valkey-server': '/usr/bin/redis-server', 'valkey-cli': '/usr/bin/redis-cli' },
    hooks: [SLIM],
  };
}

/**
 * postgresql 15 for the official postgres image, Alpine variant (user postgres 70:70, PGDATA
 * /var/lib/postgresql/data, CMD postgres, listen_addresses = '*' in the sample configuration;
 * docker-library/postgres 16/alpine3.22/Dockerfile, read 2026-12-07). Debian's package makes a
 * `main` cluster at install: the hook removes it (the image has none).
 */
const POSTGRES: RealDaemon = {
  name: 'postgresql',
  package: 'postgresql-15',
  include: ['postgresql-15'],
  user: { name: 'postgres', uid: 70, gid: 70, owns: ['var/lib/postgresql', 'run/postgresql'] },
  entrypoint: { path: '/usr/local/bin/docker-entrypoint.sh', script: POSTGRES_ENTRYPOINT },
  cmd: ['postgres'],
  workdir: '/',
  path: `/usr/lib/postgresql/15/bin:${PATH}`,
  provides: { postgres: '/usr/lib/postgresql/15/bin/postgres', pg_isready: '/usr/lib/postgresql/15/bin/pg_isready', psql: '/usr/lib/postgresql/15/bin/psql' },
  hooks: [
    'rm -rf "$1/etc/postgresql/15" "$1/var/lib/postgresql/15"',
    `sed -ri "s!^#?(listen_addresses)\\s*=\\s*\\S+.*!\\1 = '*'!" "$1/usr/share/postgresql/15/postgresql.conf.sample"`,
    SLIM,
  ],
};

/** The `<field>_file` settings newer than Debian's Alertmanager (0.25.0): the kit's receiver facts. */
export const ALERTMANAGER_DEBIAN = '0.25.0';
export const inlinedFor025 = [...new Set(Object.values(RECEIVER_FORMS).filter((f) => !versionAtLeast(ALERTMANAGER_DEBIAN, f.since)).map((f) => f.fileField.split('.').pop()!))].sort();

/**
 * prometheus-alertmanager 0.25 for prom/alertmanager (busybox base, USER nobody, ENTRYPOINT
 * /bin/alertmanager, WORKDIR and storage /alertmanager owned by nobody; prometheus/alertmanager
 * Dockerfile, read 2026-12-07), fed a 0.25-compatible copy of the rendered file (entrypoints.ts).
 */
const ALERTMANAGER: RealDaemon = {
  name: 'prometheus-alertmanager',
  package: 'prometheus-alertmanager',
  include: ['prometheus-alertmanager'],
  user: { name: 'nobody', uid: 65534, gid: 65534, owns: ['alertmanager', 'etc/alertmanager'] },
  entrypoint: { path: '/bin/alertmanager', script: alertmanager025(inlinedFor025) },
  cmd: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
  workdir: '/alertmanager',
  path: PATH,
  provides: { amtool: '/usr/bin/amtool' },
  hooks: [SLIM],
};

/**
 * prometheus-node-exporter 1.5 for quay.io/prometheus/node-exporter (busybox base, USER nobody,
 * ENTRYPOINT /bin/node_exporter, no CMD; prometheus/node_exporter Dockerfile, read 2026-12-07).
 */
const NODE_EXPORTER: RealDaemon = {
  name: 'prometheus-node-exporter',
  package: 'prometheus-node-exporter',
  include: ['prometheus-node-exporter'],
  user: { name: 'nobody', uid: 65534, gid: 65534, owns: [] },
  entrypoint: { path: '/bin/node_exporter', link: '/usr/bin/prometheus-node-exporter' },
  cmd: [],
  workdir: '/',
  path: PATH,
  provides: {},
  hooks: [SLIM],
};

/**
 * The real daemon an image reference runs, when Debian ships it: the docker library's redis and
 * postgres (its Alpine variant, the lab's), valkey, Prometheus's Alertmanager and node-exporter. Immich's postgres (14 with the VectorChord
 * and pgvecto.rs extensions, which Debian does not ship) keeps its stand-in.
 */
export function realDaemonOf(image: string): RealDaemon | undefined {
  const name = image.replace(/^docker\.io\//, '').replace(/^library\//, '');
  if (/^redis:[^@]*alpine/.test(name)) return redis('redis-server');
  if (/^valkey\/valkey:[^@]*alpine/.test(name)) return redis('valkey-server');
  if (/^postgres:[^@]*alpine/.test(name)) return POSTGRES;
  if (/^(quay\.io\/)?prom\/alertmanager:/.test(name)) return ALERTMANAGER;
  if (/^(quay\.io\/)?prometheus\/node-exporter:/.test(name)) return NODE_EXPORTER;
  return undefined;
}

/** The cache entry of a daemon's Debian root (an uncompressed tar), keyed by its package list and hooks; it records the package's version. */
export function realRootEntry(daemon: RealDaemon): CacheEntry {
  return {
    name: `real-${daemon.package}-${cacheKey([REAL_SUITE, REAL_MIRROR, 'minbase', ...daemon.include, ...daemon.hooks])}`,
    what: `mmdebstrap (the real ${daemon.name})`,
    argv: (d) => ['mmdebstrap', '--quiet', '--variant=minbase', `--include=${daemon.include.join(',')}`, ...daemon.hooks.flatMap((h) => ['--customize-hook', h]), REAL_SUITE, join(d, 'root.tar'), REAL_MIRROR],
    finish(d) {
      const status = run(['tar', '-xOf', join(d, 'root.tar'), './var/lib/dpkg/status'], 'the root\'s dpkg status');
      const version = new RegExp(`^Package: ${daemon.package}\\n(?:.+\\n)*?Version: (.+)$`, 'm').exec(status)?.[1];
      if (!version) throw new Error(`twin: ${daemon.package} is not installed in its root`);
      writeFileSync(join(d, 'version'), version);
    },
  };
}

/** The cached Debian root (an uncompressed tar) with the daemon's packages, and their versions. */
export function realDaemonRoot(daemon: RealDaemon): { tar: string; version: string } {
  const entry = realRootEntry(daemon);
  const dir = cachedDir(entry.name, (d) => {
    run(entry.argv(d), entry.what);
    entry.finish!(d);
  });
  return { tar: join(dir, 'root.tar'), version: readFileSync(join(dir, 'version'), 'utf8').trim() };
}

function run(argv: readonly string[], what: string): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`twin: ${what} failed (${r.status}): ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Replaces (or adds) the line of `name` in an /etc/passwd or /etc/group file. */
function setEntry(file: string, name: string, line: string): void {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith(`${name}:`)) : [];
  writeFileSync(file, [...lines, line, ''].join('\n'));
}

/**
 * The real-daemon image's root in `root` (extracted from the cached Debian root): the daemon's
 * user at the image's ids owning its paths, the entrypoint, the shipped names, the twin's busybox.
 */
export function realDaemonRootfs(spec: StandinService, daemon: RealDaemon, baseTar: string, root: string, busybox: string): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  run(['tar', '--numeric-owner', '-xpf', baseTar, '-C', root], 'extracting the real daemon\'s root');
  const { name, uid, gid } = daemon.user;
  setEntry(join(root, 'etc/passwd'), name, `${name}:x:${uid}:${gid}::/var/lib/${name}:/bin/sh`);
  setEntry(join(root, 'etc/group'), name, `${name}:x:${gid}:`);
  for (const p of daemon.user.owns) {
    mkdirSync(join(root, p), { recursive: true });
    run(['chown', '-R', `${uid}:${gid}`, join(root, p)], `chown ${p}`);
  }
  mkdirSync(join(root, 'standin/cmd'), { recursive: true });
  run(['cp', busybox, join(root, 'standin/busybox')], 'copying busybox');
  writeFileSync(join(root, 'standin/lib.sh'), LIB);
  const entry = join(root, daemon.entrypoint.path);
  mkdirSync(dirname(entry), { recursive: true });
  rmSync(entry, { force: true });
  if ('link' in daemon.entrypoint) symlinkSync(daemon.entrypoint.link, entry);
  else {
    writeFileSync(entry, daemon.entrypoint.script);
    chmodSync(entry, 0o755);
  }
  for (const command of spec.ships) {
    const base = command.slice(command.lastIndexOf('/') + 1);
    const at = join(root, command.startsWith('/') ? command : `usr/local/bin/${base}`);
    if (existsSync(at)) continue;
    const target = daemon.provides[base];
    if (target) symlinkSync(target, at);
    else if (base === 'wget') {
      writeFileSync(join(root, 'standin/cmd/wget'), WGET, { mode: 0o755 });
      symlinkSync('/standin/cmd/wget', at);
    }
  }
}

/** The `docker import --change` lines of a real-daemon image. */
export function realDaemonChanges(daemon: RealDaemon, spec: StandinService): string[] {
  return [`USER ${spec.user}`, `ENTRYPOINT ${JSON.stringify([daemon.entrypoint.path])}`, ...(daemon.cmd.length ? [`CMD ${JSON.stringify(daemon.cmd)}`] : []), `ENV PATH=${daemon.path}`, `WORKDIR ${daemon.workdir}`];
}

/**
 * The report's line: which services run a real daemon, by Debian package version (`versionOf`:
 * the cached root's), e.g. `real daemons: redis-server 7.0.15-1~deb12u7 (nextcloud-redis, redis),
 * prometheus-node-exporter 1.5.0-1+b6 (node-exporter ×5)`.
 */
export function realDaemonsNote(
  hosts: readonly { readonly services: readonly { readonly name: string; readonly image: string }[] }[],
  versionOf: (d: RealDaemon) => string = (d) => realDaemonRoot(d).version,
): string | undefined {
  const by = new Map<string, Map<string, number>>();
  for (const h of hosts)
    for (const s of h.services) {
      const d = realDaemonOf(s.image);
      if (!d) continue;
      const key = `${d.package === d.name ? d.name : `${d.name} (${d.package})`} ${versionOf(d).replace(/^\d+:/, '')}`;
      const names = by.get(key) ?? new Map<string, number>();
      by.set(key, names.set(s.name, (names.get(s.name) ?? 0) + 1));
    }
  const list = (names: Map<string, number>) => [...names].map(([n, count]) => (count > 1 ? `${n} ×${count}` : n)).join(', ');
  return by.size ? `real daemons: ${[...by].map(([k, names]) => `${k} (${list(names)})`).join(', ')}` : undefined;
}
