import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseUidGid, type Lab, type UidGid } from '@homelab/kit/internal';
import { healthShim, SHIM_PATHS } from './health-shims.js';
import { BASH, BUSYBOX, CRON_SH, CURL, HTTPD_CONF, LIB, mainScript, METRICS, PGREP, WGET } from './scripts.js';
import { standinServices, type StandinService } from './spec.js';

/** Runs the docker CLI against one engine (the caller chooses which: DOCKER_HOST, a namespace). */
export type DockerRunner = (args: readonly string[]) => Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }>;

/** The stand-ins' PATH (the images' usual one); a bare shipped command goes in /usr/bin. */
const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** The stand-in's own programs, shared by every shim; none is on PATH. */
const OWN = { pgrep: PGREP, wget: WGET, curl: CURL, busybox: BUSYBOX, bash: BASH } as const;

export interface StandinOptions {
  /** A static busybox to build from (default: /bin/busybox, Debian's busybox-static). */
  readonly busybox?: string;
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

/** The stand-in's file tree: its busybox, main, shims, the shipped commands and the pages it serves. */
export function standinRootfs(spec: StandinService, root: string, busybox = '/bin/busybox'): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'standin/cmd'), { recursive: true, mode: 0o755 });
  copyFileSync(busybox, join(root, 'standin/busybox'));
  spawnSync('chmod', ['0755', join(root, 'standin/busybox')]);
  write(join(root, 'standin/lib.sh'), LIB, 0o644);
  const tcp = spec.listen.filter((l) => l.protocol === 'tcp').map((l) => l.port);
  const udp = spec.listen.filter((l) => l.protocol === 'udp').map((l) => l.port);
  write(join(root, 'standin/main'), mainScript(tcp, udp, spec.secretsReadAs));
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
export async function buildStandinImage(docker: DockerRunner, workDir: string, spec: StandinService, options: StandinOptions = {}): Promise<string> {
  const dir = join(workDir, standinTag(spec.image).replace(/[^A-Za-z0-9_.-]/g, '_'));
  const root = join(dir, 'rootfs');
  standinRootfs(spec, root, options.busybox);
  const tar = join(dir, 'rootfs.tar');
  const t = spawnSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', root, '-cf', tar, '.'], { encoding: 'utf8' });
  if (t.status !== 0) throw new Error(`twin: tar of the stand-in for ${spec.image} failed: ${t.stderr}`);
  const tag = standinTag(spec.image);
  const r = await docker(['import', ...importChanges(spec).flatMap((c) => ['--change', c]), tar, tag]);
  if (r.code !== 0) throw new Error(`twin: docker import of the stand-in for ${spec.image} failed: ${r.stderr.trim()}`);
  return tag;
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
