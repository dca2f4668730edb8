import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseUidGid, type Lab, type UidGid } from '@homelab/kit/internal';
import { healthShim, SHIM_PATHS } from './health-shims.js';
import { BLUEPRINT_AWK, OUTPOST_FRONT, OUTPOST_TRAEFIK_CGI } from './outpost.js';
import { HOMEPAGE_FRONT, SERVICES_AWK } from './homepage.js';
import { BASH, BUSYBOX, CRON_SH, CURL, HTTPD_CONF, LIB, mainScript, METRICS, PGREP, WGET } from './scripts.js';
import { realDaemonChanges, realDaemonOf, realDaemonRoot, realDaemonRootfs, type RealDaemon } from './real.js';
import { cacheKey, cachedDir } from '../debian/archive.js';
import { standinServices, type StandinService } from './spec.js';

/** Runs the docker CLI against one engine (the caller chooses which: DOCKER_HOST, a namespace). */
export type DockerRunner = (args: readonly string[]) => Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }>;

/** The stand-ins' PATH (the images' usual one); a bare shipped command goes in /usr/bin. */
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The stand-in's own programs, shared by every shim; none is on PATH. */
const OWN = { pgrep: PGREP, wget: WGET, curl: CURL, busybox: BUSYBOX, bash: BASH } as const;

export interface StandinOptions {
  /** A static busybox to build from (default: DEBIAN_BUSYBOX). */
  readonly busybox?: string;
  /** Build busybox stand-ins even where Debian ships the real daemon (real.ts); default false. */
  readonly noRealDaemons?: boolean;
}

function write(path: string, content: string, mode = 0o755): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  writeFileSync(path, content, { mode });
}

/** Where a shipped command goes: a path as it is, a bare name in /usr/bin (sh and ash in /bin). */
function shippedPath(command: string): string {
  if (command.startsWith('/')) return command;
  return command === 'sh' || command === 'ash' ? `/bin/${command}` : `/usr/bin/${command}`;
}

/** What a shipped command runs: busybox for a shell, a shim, or else the stand-in's main (the image's own program). */
function shippedTarget(command: string, spec: StandinService, root: string): string {
  const name = command.slice(command.lastIndexOf('/') + 1);
  if (name === 'sh' || name === 'ash') return '/standin/busybox';
  if (name in OWN) return `/standin/cmd/${name}`;
  if (command === '/cron.sh') {
    write(join(root, 'standin/cmd/cron.sh'), CRON_SH);
    mkdirSync(join(root, 'var/spool/cron/crontabs'), { recursive: true });
    return '/standin/cmd/cron.sh';
  }
  const shim = healthShim(command, spec.image);
  if (shim === undefined) return '/standin/main';
  const file = `/standin/cmd/shim-${command.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  write(join(root, file), shim);
  return file;
}

/** Debian's busybox-static: what the system and twin tiers build stand-ins from (tools/testing/install-system-deps.sh). */
export const DEBIAN_BUSYBOX = '/bin/busybox';

/**
 * The stand-in's file tree: its busybox, main, shims, the shipped commands and the pages it serves.
 * `busybox` is the static busybox to copy in: DEBIAN_BUSYBOX for an image; a unit test gives a file of its own.
 */
export function standinRootfs(spec: StandinService, root: string, busybox: string): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'standin/cmd'), { recursive: true, mode: 0o755 });
  copyFileSync(busybox, join(root, 'standin/busybox'));
  spawnSync('chmod', ['0755', join(root, 'standin/busybox')]);
  write(join(root, 'standin/lib.sh'), LIB, 0o644);
  const tcp = spec.listen.filter((l) => l.protocol === 'tcp').map((l) => l.port);
  const udp = spec.listen.filter((l) => l.protocol === 'udp').map((l) => l.port);
  write(join(root, 'standin/main'), mainScript(tcp, udp, spec.secretsReadAs, spec.outpostPort, spec.startPagePort));
  if (spec.outpostPort !== undefined) {
    write(join(root, 'standin/cmd/outpost-front'), OUTPOST_FRONT);
    write(join(root, 'standin/blueprints.awk'), BLUEPRINT_AWK, 0o644);
    write(join(root, 'standin/www/cgi-bin/outpost-traefik'), OUTPOST_TRAEFIK_CGI);
  }
  if (spec.startPagePort !== undefined) {
    write(join(root, 'standin/cmd/homepage-front'), HOMEPAGE_FRONT);
    write(join(root, 'standin/services.awk'), SERVICES_AWK, 0o644);
  }
  for (const [name, script] of Object.entries(OWN)) write(join(root, 'standin/cmd', name), script);
  write(join(root, 'standin/httpd.conf'), HTTPD_CONF, 0o644);
  for (const path of new Set([...spec.httpPaths, ...SHIM_PATHS, '/'])) write(join(root, 'standin/www', path, 'index.prom'), METRICS, 0o644);
  write(join(root, 'etc/passwd'), users(spec).map((u) => `${u.name}:x:${u.uid}:${u.gid}::/:/bin/false\n`).join(''), 0o644);
  write(join(root, 'etc/group'), [...new Map(users(spec).map((u) => [u.gid, `${u.name}:x:${u.gid}:\n`])).values()].join(''), 0o644);
  mkdirSync(join(root, 'tmp'), { recursive: true, mode: 0o1777 });
  spawnSync('chmod', ['1777', join(root, 'tmp')]);
  for (const command of spec.ships) {
    const at = join(root, shippedPath(command));
    mkdirSync(dirname(at), { recursive: true, mode: 0o755 });
    symlinkSync(shippedTarget(command, spec, root), at);
  }
}

/** The image's users: root, the user it starts as, who reads its secrets (start-stop-daemon -c needs them named). */
function users(spec: StandinService): { name: string; uid: number; gid: number }[] {
  const ids = [{ uid: 0, gid: 0 }, parseUidGid(spec.user), parseUidGid(spec.secretsReadAs)].filter((u): u is UidGid => u !== undefined);
  const byUid = new Map(ids.map((u) => [u.uid, { name: u.uid === 0 ? 'root' : `standin${u.uid}`, ...u }]));
  return [...byUid.values()];
}

/** The `docker import --change` lines: the image's user, the stand-in's main as entrypoint, PATH. */
export function importChanges(spec: StandinService): string[] {
  return [`USER ${spec.user}`, 'ENTRYPOINT ["/standin/main"]', `ENV PATH=${PATH}`, 'WORKDIR /'];
}

/** The tag a stand-in gets: the image reference itself (a digest cannot be given to a local image, so it is dropped). */
export function standinTag(image: string): string {
  return image.replace(/@sha256:[0-9a-f]+$/, '');
}

/** Builds one stand-in image with `docker import`, tagged with its image reference. */
/** Milliseconds this process spent building real-daemon images (extract, tar, import): the report gives it. */
export const realDaemonBuild = { ms: 0 };

export async function buildStandinImage(docker: DockerRunner, workDir: string, spec: StandinService, options: StandinOptions = {}): Promise<string> {
  const started = Date.now();
  const real = options.noRealDaemons ? undefined : realDaemonOf(spec.image);
  const tar = real ? realDaemonTar(spec, real, options.busybox ?? DEBIAN_BUSYBOX) : standinTar(spec, workDir, options.busybox ?? DEBIAN_BUSYBOX);
  const tag = standinTag(spec.image);
  const changes = real ? realDaemonChanges(real, spec) : importChanges(spec);
  const r = await docker(['import', ...changes.flatMap((c) => ['--change', c]), tar, tag]);
  if (r.code !== 0) throw new Error(`twin: docker import of the stand-in for ${spec.image} failed: ${r.stderr.trim()}`);
  if (real) realDaemonBuild.ms += Date.now() - started;
  return tag;
}

function tarOf(root: string, tar: string, what: string, owners: readonly string[]): void {
  const t = spawnSync('tar', ['--numeric-owner', ...owners, '-C', root, '-cf', tar, '.'], { encoding: 'utf8' });
  if (t.status !== 0) throw new Error(`twin: tar of the stand-in for ${what} failed: ${t.stderr}`);
}

/** A stand-in's tar in workDir (small: busybox, its scripts, its pages; every file root's). */
function standinTar(spec: StandinService, workDir: string, busybox: string): string {
  const dir = join(workDir, standinTag(spec.image).replace(/[^A-Za-z0-9_.-]/g, '_'));
  const root = join(dir, 'rootfs');
  standinRootfs(spec, root, busybox);
  const tar = join(dir, 'rootfs.tar');
  tarOf(root, tar, spec.image, ['--owner=0', '--group=0']);
  return tar;
}

/**
 * The source files of what makes a real daemon's image (this builder, real.ts, the scripts it copies
 * in), read from src/ whether this runs from src/ or lib/: part of each cached image's key, so a
 * change to any of them makes the image again.
 */
const BUILDER_SOURCES = ['build.ts', 'real.ts', 'scripts.ts'].map((f) => fileURLToPath(new URL(`../../src/standin/${f}`, import.meta.url)));

/**
 * A real daemon's image tar (a Debian root of a hundred MB or more, its owners kept), made once per
 * machine and cached, keyed by all it is made from: the cached Debian root, the service's facts,
 * the daemon, the builder's own source and the scripts it copies in, and busybox's bytes. Every
 * twin of the machine (and every VM that runs the daemon) imports the same file.
 */
function realDaemonTar(spec: StandinService, real: RealDaemon, busybox: string): string {
  const baseTar = realDaemonRoot(real).tar;
  const key = cacheKey([baseTar, JSON.stringify(spec), JSON.stringify(real), ...BUILDER_SOURCES.map((f) => readFileSync(f, 'utf8')), createHash('sha256').update(readFileSync(busybox)).digest('hex')]);
  const dir = cachedDir(`real-image-${real.package}-${key}`, (d) => {
    const root = join(d, 'rootfs');
    realDaemonRootfs(spec, real, baseTar, root, busybox);
    tarOf(root, join(d, 'rootfs.tar'), spec.image, []);
    rmSync(root, { recursive: true, force: true });
  });
  return join(dir, 'rootfs.tar');
}

/**
 * One stand-in image per distinct image reference of the lab (or of the given specs), built one
 * after the other into the engine `docker` runs against; returns the references built. `workDir`
 * must be readable by that docker CLI (it reads the tar files).
 */
export async function buildStandinImages(docker: DockerRunner, workDir: string, lab: Pick<Lab, 'hosts'> | readonly StandinService[], options: StandinOptions = {}): Promise<string[]> {
  const specs = Array.isArray(lab) ? (lab as readonly StandinService[]) : standinServices(lab as Pick<Lab, 'hosts'>);
  const built: string[] = [];
  for (const spec of specs) built.push(await buildStandinImage(docker, workDir, spec, options));
  return built;
}
