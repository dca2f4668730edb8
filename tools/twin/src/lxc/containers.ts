import { copyFileSync, existsSync, lstatSync, mkdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { must, type TwinNetwork, type TwinNode } from '../namespaces.js';
import { pivotLines, sh } from '../proxmox/rootfs.js';
import { TWIN_BIN } from '../storage/pool.js';

/** A container of the lab in the twin: a namespace at its address whose root is its own folder. */
export interface TwinContainer {
  readonly host: string;
  readonly vmid: number;
  readonly node: TwinNode;
  /** The container's root folder (what `pct push` writes into), in the machine's view. */
  readonly rootfs: string;
  /** The process holding its namespaces (what `pct exec` enters). */
  readonly pid: number;
}

/** The folder of the node binary that runs the twin's scripts (it may be outside /usr, under /opt). */
const NODE_DIR = dirname(realpathSync(process.execPath));

/** Where a container sees the pool: `mpN: /tank/x,mp=/y` binds `/.twin/tank/x` at /y on `pct start`. */
export const CONTAINER_POOL_PATH = '/.twin/tank';

/**
 * What each unit a container's files restart runs here. Real daemons where Debian has them
 * (smbd, systemd-sysusers); the twin's resolver for AdGuard Home (no package); Tailscale has no
 * package and no network to join: its units are stand-ins that only record being restarted.
 */
export function containerUnits(): Record<string, { type: 'simple' | 'oneshot' | 'standin'; exec?: string[]; why?: string }> {
  return {
    'smbd.service': { type: 'simple', exec: ['/usr/sbin/smbd', '--foreground', '--no-process-group', '--debug-stdout'] },
    'AdGuardHome.service': { type: 'simple', exec: [process.execPath, '/.twin/bin/twin-dns.mjs', '/opt/AdGuardHome/AdGuardHome.yaml'] },
    'systemd-sysusers.service': { type: 'oneshot', exec: ['systemd-sysusers'] },
    // Only the network keys: those are per namespace; anything else would change the machine.
    'systemd-sysctl.service': { type: 'oneshot', exec: ['sh', '-c', "cat /etc/sysctl.d/*.conf 2>/dev/null | sed -n 's/^[[:space:]]*\\(net\\.[^[:space:]=]*\\)[[:space:]]*=[[:space:]]*\\(.*\\)$/\\1=\\2/p' | while read -r kv; do sysctl -q -w \"$kv\" || exit 1; done"] },
    // Debian's prometheus-node-exporter is not installed here: a stand-in serving /metrics where the
    // rendered ARGS say, with the textfile folder's *.prom files (bin/twin-metrics.mjs).
    'prometheus-node-exporter.service': { type: 'simple', exec: [process.execPath, '/.twin/bin/twin-metrics.mjs', '/etc/default/prometheus-node-exporter'] },
    'tailscaled.service': { type: 'standin', why: 'Tailscale has no Debian package and the twin has no route to a tailnet' },
    'tailscale-up.service': { type: 'standin', why: 'Tailscale has no Debian package and the twin has no route to a tailnet' },
  };
}

/** The folder of scripts a container runs (bound at /.twin/bin): systemctl, apt-get, the resolver and the metrics stand-in. */
export function writeContainerBin(dir: string): string {
  const bin = join(dir, 'container-bin');
  mkdirSync(bin, { recursive: true });
  for (const f of ['guest-systemctl.mjs', 'guest-apt-get.mjs', 'twin-dns.mjs', 'twin-metrics.mjs']) copyFileSync(join(TWIN_BIN, f), join(bin, f));
  writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\nexec ${process.execPath} /.twin/bin/guest-systemctl.mjs "$@"\n`, { mode: 0o755 });
  writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\nexec ${process.execPath} /.twin/bin/guest-apt-get.mjs "$@"\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'container-units.json'), JSON.stringify(containerUnits(), null, 2));
  return bin;
}

/** The machine's system folders a container uses read-only (its packages): /usr and the merged-/usr links. */
function systemEntries(): string[] {
  const lines: string[] = [];
  for (const name of ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32']) {
    const p = `/${name}`;
    if (!existsSync(p)) continue;
    if (lstatSync(p).isSymbolicLink()) lines.push(`ln -sfn ${sh(readlinkSync(p))} "$R"/${name}`);
    else lines.push(`mkdir -p "$R"/${name}`, `mount --rbind -o ro ${p} "$R"/${name}`);
  }
  return lines;
}

/**
 * Adds the container's namespace at its lab address. Its root is `<dir>/rootfs`, bound on
 * itself and pivoted into: /usr (and the merged-/usr links) from the machine, read-only; /dev,
 * /proc, /sys; the twin's scripts at /.twin; the pool at /.twin/tank. The rest (/etc, /var, ...)
 * is what `pct create` extracts and `pct push` writes. The node's own folder stays visible at
 * its path (the namespace's ready mark is written there).
 */
export function addContainer(network: TwinNetwork, twinDir: string, host: { name: string; vmid: number; address: string }, poolTank: string): TwinContainer {
  const dir = join(twinDir, 'hosts', host.name);
  const rootfs = join(dir, 'rootfs');
  for (const d of ['usr', 'dev', 'proc', 'sys', '.twin/bin', '.twin/tank']) mkdirSync(join(rootfs, d), { recursive: true });
  writeFileSync(join(rootfs, '.twin', 'units.json'), '');
  const script = [
    `R=${sh(rootfs)}`,
    'mount --bind "$R" "$R"',
    'mount --rbind /usr "$R"/usr',
    'mount -o remount,bind,ro "$R"/usr',
    ...systemEntries(),
    'mount --rbind /dev "$R"/dev',
    'mount --rbind /proc "$R"/proc',
    'mount --rbind /sys "$R"/sys',
    `mount --bind ${sh(join(twinDir, 'container-bin'))} "$R"/.twin/bin`,
    `mount --bind ${sh(join(twinDir, 'container-units.json'))} "$R"/.twin/units.json`,
    `mount --rbind ${sh(poolTank)} "$R"${CONTAINER_POOL_PATH}`,
    // Node (the twin's scripts inside: systemctl, the resolver), read-only at its own path.
    `mkdir -p "$R"${sh(NODE_DIR)}`,
    `mount --bind ${sh(NODE_DIR)} "$R"${sh(NODE_DIR)}`,
    `mount -o remount,bind,ro "$R"${sh(NODE_DIR)}`,
    `mkdir -p "$R"${sh(dir)}`,
    `mount --bind ${sh(dir)} "$R"${sh(dir)}`,
    ...pivotLines(rootfs),
  ].join('\n');
  const node = network.addNode(host.name, host.address, { mount: { script } });
  const pid = Number(/\/proc\/(\d+)\/ns\/mnt/.exec(node.enter.join(' '))?.[1]);
  if (!pid) throw new Error(`twin: no holder process for ${host.name}`);
  return { host: host.name, vmid: host.vmid, node, rootfs, pid };
}

/**
 * The container template the twin's `pct create` extracts: a Debian-like root skeleton (the
 * accounts of a fresh Debian, the folders its daemons use), as a .tar.zst under the name the
 * lab asks for. The programs come from the machine (/usr), not from the template.
 */
export function makeTemplate(dir: string): string {
  const skel = join(dir, 'template-root');
  for (const d of ['etc/ld.so.conf.d', 'etc/sysctl.d', 'etc/sysusers.d', 'etc/samba', 'var/lib/samba/private', 'var/cache/samba', 'var/log/samba', 'var/tmp', 'run', 'tmp', 'root', 'srv', 'opt', 'home']) mkdirSync(join(skel, d), { recursive: true });
  const files: Record<string, string> = {
    'etc/passwd': 'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    'etc/group': 'root:x:0:\ndaemon:x:1:\nusers:x:100:\nnogroup:x:65534:\n',
    'etc/shadow': 'root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n',
    'etc/gshadow': 'root:*::\ndaemon:*::\nusers:*::\nnogroup:*::\n',
    'etc/nsswitch.conf': 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n',
    'etc/hosts': '127.0.0.1 localhost\n',
  };
  for (const [p, text] of Object.entries(files)) writeFileSync(join(skel, p), text);
  for (const p of ['etc/ld.so.cache', 'etc/ld.so.conf']) if (existsSync(`/${p}`)) copyFileSync(`/${p}`, join(skel, p));
  const tar = join(dir, 'template.tar.zst');
  must(['tar', '--zstd', '-C', skel, '-cf', tar, '.']);
  return tar;
}
