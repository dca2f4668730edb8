import { copyFileSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TwinNetwork, TwinNode } from '../namespaces.js';
import { sh } from '../proxmox/rootfs.js';
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

/** The machine's dynamic loader (its real path): what runs a program of the old root once the container's root is pivoted into. */
const LOADER = realpathSync('/lib64/ld-linux-x86-64.so.2');

/** Where a container sees the pool: `mpN: /tank/x,mp=/y` binds `/.twin/tank/x` at /y on `pct start`. */
export const CONTAINER_POOL_PATH = '/.twin/tank';

/**
 * Units a container has on disk that the twin runs otherwise than their unit file says, because
 * the real command would change the machine: systemd-sysctl applies only the network keys (those
 * are per namespace). Every other unit runs as its file on the container's disk says
 * (bin/guest-systemctl.mjs), and a unit not on that disk is "not found", as systemd says.
 */
export function containerUnits(): Record<string, { type: 'oneshot'; exec: string[] }> {
  return {
    'systemd-sysctl.service': { type: 'oneshot', exec: ['sh', '-c', "cat /etc/sysctl.d/*.conf 2>/dev/null | sed -n 's/^[[:space:]]*\\(net\\.[^[:space:]=]*\\)[[:space:]]*=[[:space:]]*\\(.*\\)$/\\1=\\2/p' | while read -r kv; do sysctl -q -w \"$kv\" || exit 1; done"] },
  };
}

/** The folder of scripts a container runs (bound at /.twin/bin): systemctl, apt-get, apt-helper's download, the resolver. */
export function writeContainerBin(dir: string): string {
  const bin = join(dir, 'container-bin');
  mkdirSync(bin, { recursive: true });
  for (const f of ['guest-systemctl.mjs', 'systemctl-show.mjs', 'guest-apt-get.mjs', 'guest-apt-helper.mjs', 'twin-dns.mjs']) copyFileSync(join(TWIN_BIN, f), join(bin, f));
  writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\nexec ${process.execPath} /.twin/bin/guest-systemctl.mjs "$@"\n`, { mode: 0o755 });
  writeFileSync(join(bin, 'apt-get'), `#!/bin/sh\nexec ${process.execPath} /.twin/bin/guest-apt-get.mjs "$@"\n`, { mode: 0o755 });
  // Bound over the container's /usr/lib/apt/apt-helper on pct start (deploy downloads upstream's files with it).
  writeFileSync(join(bin, 'apt-helper'), `#!/bin/sh\nexec ${process.execPath} /.twin/bin/guest-apt-helper.mjs "$@"\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'container-units.json'), JSON.stringify(containerUnits(), null, 2));
  return bin;
}

/**
 * Adds the container's namespace at its lab address. Its root is `<dir>/rootfs`, bound on
 * itself and pivoted into: empty until `pct create` extracts the template (a Debian root with its
 * own /usr), then what `pct push` writes and the container's apt-get installs; /dev, /proc, /sys
 * from the machine; the twin's scripts at /.twin/bin; the pool at /.twin/tank; the sources its
 * apt-get and apt-helper stand in for at /.twin/mirror (lxc/mirror.ts). The node's own folder stays visible at
 * its path (the namespace's ready mark is written there).
 */
export function addContainer(network: TwinNetwork, twinDir: string, host: { name: string; vmid: number; address: string }, poolTank: string, debianMirror: string): TwinContainer {
  const dir = join(twinDir, 'hosts', host.name);
  const rootfs = join(dir, 'rootfs');
  const hold = join(dir, 'hold.fifo');
  for (const d of ['dev', 'proc', 'sys', '.twin/bin', '.twin/tank', '.twin/mirror']) mkdirSync(join(rootfs, d), { recursive: true });
  writeFileSync(join(rootfs, '.twin', 'units.json'), '');
  const script = [
    `R=${sh(rootfs)}`,
    'mount --bind "$R" "$R"',
    'mount --rbind /dev "$R"/dev',
    'mount --rbind /proc "$R"/proc',
    'mount --rbind /sys "$R"/sys',
    `mount --bind ${sh(join(twinDir, 'container-bin'))} "$R"/.twin/bin`,
    `mount --bind ${sh(join(twinDir, 'container-units.json'))} "$R"/.twin/units.json`,
    `mount --rbind ${sh(poolTank)} "$R"${CONTAINER_POOL_PATH}`,
    // The sources its apt-get and apt-helper stand in for, read-only (bin/guest-apt-get.mjs).
    `mount --bind ${sh(join(twinDir, 'mirror'))} "$R"/.twin/mirror`,
    `mount --bind ${sh(debianMirror)} "$R"/.twin/mirror/debian`,
    'mount -o remount,bind,ro "$R"/.twin/mirror/debian',
    // Node (the twin's scripts inside: systemctl, apt-get, the resolver), read-only at its own path.
    `mkdir -p "$R"${sh(NODE_DIR)}`,
    `mount --bind ${sh(NODE_DIR)} "$R"${sh(NODE_DIR)}`,
    `mount -o remount,bind,ro "$R"${sh(NODE_DIR)}`,
    `mkdir -p "$R"${sh(dir)}`,
    `mount --bind ${sh(dir)} "$R"${sh(dir)}`,
    `rm -f ${sh(hold)} && mkfifo ${sh(hold)}`,
    // pivot_root as proxmox/rootfs.ts does, but the new root has no programs (nor a dynamic
    // loader) until pct create extracts the template: umount runs from the old root through its loader.
    'cd "$R"',
    'mkdir -p .twin-old-root',
    'pivot_root . .twin-old-root',
    'cd /',
    `/.twin-old-root${LOADER} --library-path /.twin-old-root${dirname(LOADER)} /.twin-old-root/usr/bin/umount -l /.twin-old-root`,
  ].join('\n');
  // The root has no programs until pct create extracts the template: the shell holds the namespace, reading a fifo no one writes.
  const node = network.addNode(host.name, host.address, { mount: { script, holder: `read -r never < ${sh(hold)}` } });
  const pid = Number(/\/proc\/(\d+)\/ns\/mnt/.exec(node.enter.join(' '))?.[1]);
  if (!pid) throw new Error(`twin: no holder process for ${host.name}`);
  return { host: host.name, vmid: host.vmid, node, rootfs, pid };
}

/** The container template the twin's `pct create` extracts: a Debian 12 root filesystem (lxc/template.ts), with its own /usr. */
export { containerTemplateTarball as makeTemplate } from './template.js';
