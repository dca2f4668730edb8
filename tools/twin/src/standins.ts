import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { secretReader, serviceName, startUser, type HostDef, type ServiceDef } from '@homelab/kit';
import { requireTool } from '@homelab/testing';
import { must } from './namespaces.js';
import { copyBinary } from './binaries.js';
import type { TwinVm } from './vm.js';

/**
 * Stand-in images: no registry is reachable, so every image reference of a VM's stack becomes a
 * local image with the same reference, built from busybox-static, that keeps the image's contract
 * as its facts say (docs/twin.md): the user it starts as; the secrets read (as the user that reads
 * them) before anything else, failing as the real service fails on an unreadable file; HTTP on
 * every port its services listen on, with its healthcheck paths and `/metrics`; and only the
 * commands the image ships, as shims that behave as the real ones do for the lab's probes.
 * The twin's own tools live in /standin (never on PATH): the probes call /standin/busybox.
 */

/** The user a service's process starts as: its own `user`, else its image's default (the kit's rule). */
export function serviceUser(service: ServiceDef | undefined): string {
  return service ? startUser(service) : '0:0';
}

/** Who reads a service's secrets, as uid:gid (the kit's rule, the same deploy writes the owners by). */
export function secretUser(service: ServiceDef | undefined): string {
  const r = service ? secretReader(service) : undefined;
  return r ? `${r.uid}:${r.gid}` : serviceUser(service);
}

interface ImageContract {
  readonly ref: string;
  readonly user: string;
  readonly secretsAs: string;
  readonly ships: Set<string>;
  readonly tcp: Set<number>;
  readonly paths: Set<string>;
}

const URL_IN_ARG = /https?:\/\/[^/\s:]+(?::(\d+))?(\/[^\s?'"]*)?/g;

/** The contracts of a host's images: one per reference, the union of what its services need of it. */
export function imageContracts(host: HostDef): ImageContract[] {
  const byRef = new Map<string, ImageContract>();
  // A port a service publishes for the services in its network namespace is theirs to listen on (Gluetun's).
  const guests = (s: ServiceDef) => host.services.filter((o) => typeof o.networkMode === 'object' && 'service' in o.networkMode && serviceName(o.networkMode.service) === s.name);
  for (const s of host.services) {
    const theirs = new Set(guests(s).flatMap((o) => o.listen ?? []));
    const c = byRef.get(s.image) ?? { ref: s.image, user: s.imageFacts?.user ?? '0:0', secretsAs: secretUser({ ...s, user: undefined } as ServiceDef), ships: new Set<string>(), tcp: new Set<number>(), paths: new Set<string>(['/']) };
    for (const cmd of s.imageFacts?.ships ?? []) c.ships.add(cmd);
    for (const p of s.listen ?? []) c.tcp.add(p);
    for (const p of s.ports ?? []) if ((p.protocol ?? 'tcp') === 'tcp' && typeof p.target === 'number' && !theirs.has(p.target)) c.tcp.add(p.target);
    if (s.metrics) {
      c.tcp.add(s.metrics.port);
      c.paths.add(s.metrics.path ?? '/metrics');
    }
    for (const arg of s.healthcheck?.test ?? []) for (const m of arg.matchAll(URL_IN_ARG)) c.paths.add(m[2] ?? '/');
    byRef.set(s.image, c);
  }
  return [...byRef.values()];
}

/** The stand-in's main process: secrets first (as their reader), then HTTP on every port, then wait. */
function runScript(c: ImageContract): string {
  const [uid, gid] = c.secretsAs.split(':');
  // Dropping to the reader as the image's entrypoint does (gosu, su-exec, s6), by numeric id: util-linux's setpriv.
  const asReader = c.secretsAs === c.user ? '' : `/standin/setpriv --reuid=${uid} --regid=${gid ?? uid} --clear-groups `;
  return `#!/standin/busybox sh
B=/standin/busybox
fail() { echo "stand-in for ${c.ref}: $*" >&2; exit 1; }
for f in /run/secrets/*; do
  [ -e "$f" ] || continue
  ${asReader}$B cat "$f" > /dev/null 2>&1 || fail "cannot read $f as ${c.secretsAs}"
done
for v in $($B env | $B sed -n -e 's/^[A-Za-z0-9_]*_FILE=//p' -e 's/^FILE__[A-Za-z0-9_]*=//p' -e 's/^[A-Za-z0-9_]*=file:\\/\\///p'); do
  case "$v" in /*) ${asReader}$B cat "$v" > /dev/null 2>&1 || fail "cannot read $v as ${c.secretsAs}";; esac
done
for port in ${[...c.tcp].sort((a, b) => a - b).join(' ')}; do
  $B httpd -f -p "$port" -h /standin/www &
done
exec $B sleep 2147483647
`;
}

/** A shipped command as the lab's healthchecks and entrypoints use it. */
function shimScript(command: string): string {
  const base = command.slice(command.lastIndexOf('/') + 1);
  const head = '#!/standin/busybox sh\nB=/standin/busybox\n';
  switch (base) {
    case 'sh':
    case 'bash':
      return `${head}exec $B sh "$@"\n`;
    case 'wget':
    case 'pgrep':
    case 'cat':
      return `${head}exec $B ${base} "$@"\n`;
    case 'busybox':
      return `${head}exec $B "$@"\n`;
    case 'curl':
      // curl -f exits 22 on an HTTP error; wget exits 1: the healthchecks only read the exit code.
      return `${head}url=; for a in "$@"; do case "$a" in http://*|https://*) url="$a";; esac; done\n[ -n "$url" ] || exit 2\n$B wget -q -O /dev/null "$url" || exit 22\n`;
    case 'cron.sh':
      // upstream's cron.sh: exec busybox crond -f -L /dev/stdout (its process name is busybox)
      return `${head}exec $B crond -f -L /dev/stdout\n`;
    default:
      // An image's own check (ak healthcheck, pg_isready, redis-cli ping, healthcheck.sh): as PID 1,
      // the image's main process; otherwise it asks the stand-in's own server, as the real check asks the real one.
      return `${head}[ "$$" = 1 ] && exec /standin/run "$@"\nfor p in $($B cat /standin/ports); do $B wget -q -O /dev/null "http://127.0.0.1:$p/" && exit 0; done\n[ -s /standin/ports ] && exit 1\nexit 0\n`;
  }
}

function write(path: string, text: string, mode = 0o755): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

/** The root file system of one stand-in image. */
function standinRoot(c: ImageContract, root: string): void {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'standin', 'www'), { recursive: true });
  copyFileSync(requireTool('busybox'), join(root, 'standin', 'busybox'));
  if (c.secretsAs !== c.user) copyBinary(requireTool('setpriv'), root, '/standin/setpriv');
  write(join(root, 'standin', 'run'), runScript(c));
  write(join(root, 'standin', 'ports'), `${[...c.tcp].join(' ')}\n`, 0o644);
  for (const p of c.paths) {
    const file = p.endsWith('/') ? join(root, 'standin', 'www', p, 'index.html') : join(root, 'standin', 'www', p);
    write(file, p.includes('metrics') ? '# HELP standin_up The stand-in answers.\n# TYPE standin_up gauge\nstandin_up 1\n' : 'ok\n', 0o644);
  }
  for (const cmd of c.ships) {
    const path = cmd.startsWith('/') ? cmd : `/usr/bin/${cmd}`;
    write(join(root, path), shimScript(cmd));
    if (cmd === 'sh') write(join(root, 'bin', 'sh'), shimScript('sh'));
  }
  const uids = [...new Set([c.user, c.secretsAs].map((u) => u.split(':')))];
  write(join(root, 'etc', 'passwd'), ['root:x:0:0:root:/root:/bin/sh', ...uids.filter(([u]) => u !== '0').map(([u, g]) => `u${u}:x:${u}:${g ?? u}::/tmp:/bin/false`), ''].join('\n'), 0o644);
  write(join(root, 'etc', 'group'), ['root:x:0:', ...uids.filter(([u]) => u !== '0').map(([u, g]) => `g${g ?? u}:x:${g ?? u}:`), ''].join('\n'), 0o644);
  for (const d of ['tmp', 'var/spool/cron/crontabs', 'run/secrets']) mkdirSync(join(root, d), { recursive: true, mode: 0o1777 });
  chmodSync(join(root, 'tmp'), 0o1777);
}

/** Imports one stand-in per image reference of the host's stack into the VM's engine. */
export async function buildStandins(vm: TwinVm, host: HostDef, workDir: string): Promise<string[]> {
  const refs: string[] = [];
  for (const c of imageContracts(host)) {
    const root = join(workDir, c.ref.replace(/[^A-Za-z0-9._-]/g, '_'));
    standinRoot(c, root);
    const tar = `${root}.tar`;
    must(['tar', '-C', root, '-cf', tar, '.']);
    const r = await vm.docker(['import', '--change', `USER ${c.user}`, '--change', 'ENTRYPOINT ["/standin/run"]', tar, c.ref]);
    if (r.code !== 0) throw new Error(`twin: docker import of the stand-in for ${c.ref} on ${host.name}: ${r.stderr}`);
    refs.push(c.ref);
  }
  return refs;
}
