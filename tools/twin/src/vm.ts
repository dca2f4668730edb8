import { mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { missingCapabilities, requireTool, runtimeFlags, storageDriverFlags } from '@homelab/testing';
import type { ExecResult, TwinNetwork, TwinNode } from './namespaces.js';
import { startNodeSshd, type NodeSshd } from './sshd.js';
import { readVendorData, SYSTEM_BUNDLE, vmTrustBundle } from './trust.js';
import { bootMounts } from './vm-boot.js';
import { TWIN_BIN } from './storage/pool.js';
import { HEALTH_SECONDS, waitUntil } from './wait.js';

/** One VM of the twin: a node with its own mount namespace, sshd on :22 and a Docker engine. */
export interface TwinVm {
  readonly node: TwinNode;
  readonly sshd: NodeSshd;
  /** The docker CLI against this VM's engine. */
  docker(args: readonly string[], input?: string): Promise<ExecResult>;
  /** What the VM mounts from the node: its mount points and where each comes from on the node. */
  readonly mounts: readonly VmMount[];
  /** Removes every container, then stops dockerd (its namespaces go with the network's teardown). */
  stop(): Promise<void>;
  /**
   * Power loss, then a boot: every process of the VM killed at once (dockerd, containerd, the
   * shims, each container, sshd; no compose down), /run and the datasets gone; then what boot
   * starts: a fresh /run, the datasets whose mount units are enabled, sshd, dockerd. dockerd
   * itself starts the containers their restart policy asks for; nothing else starts one.
   */
  reboot(): Promise<VmBoot>;
}

/** What a reboot brought back. */
export interface VmBoot {
  readonly mounted: readonly VmMount[];
  /** Mounted before, and no enabled mount unit mounts it at boot. */
  readonly lost: readonly VmMount[];
  /** The units enabled on the VM's disk that boot started (boot.log's line), and whether each started. */
  readonly units: { readonly ok: boolean; readonly log: string };
}

export interface VmMount {
  /** The directory mapping's id (virtiofs tag). */
  readonly tag: string;
  /** Where the VM mounts it (the mount unit's Where=). */
  readonly where: string;
  /** The dataset's path on the Proxmox node (the mapping's path=). */
  readonly nodePath: string;
}

/**
 * The VM's virtiofs mounts, followed through the rendered files as Proxmox and the guest follow
 * them: the qm file's virtiofsN tags, the node's directory mappings (tag -> path on the node), and
 * the vendor data's mount units (tag -> Where= in the VM).
 */
export function vmMounts(distDir: string, vmid: number, directoryCfg: string): VmMount[] {
  const conf = readFileSync(join(distDir, 'proxmox', `${vmid}.conf`), 'utf8');
  const tags = [...conf.matchAll(/^virtiofs\d+: ([^,\s]+)/gm)].map((m) => m[1]!);
  const nodePaths = new Map<string, string>();
  let current: string | undefined;
  for (const line of directoryCfg.split('\n')) {
    if (/^\S/.test(line) && !line.startsWith('#')) current = line.trim();
    const m = /^\s+map .*path=([^,\s]+)/.exec(line);
    if (m && current) nodePaths.set(current, m[1]!);
  }
  const vendorFile = readdirVendor(distDir);
  const vendor = parse(readFileSync(vendorFile, 'utf8')) as { write_files?: { path: string; content: string }[] };
  const where = new Map<string, string>();
  for (const f of vendor.write_files ?? []) {
    const what = /^What=(.+)$/m.exec(f.content)?.[1];
    const to = /^Where=(.+)$/m.exec(f.content)?.[1];
    if (/^Type=virtiofs$/m.test(f.content) && what && to) where.set(what.trim(), to.trim());
  }
  return tags.map((tag) => {
    const nodePath = nodePaths.get(tag);
    const to = where.get(tag);
    if (!nodePath) throw new Error(`twin: ${vmid}.conf names virtiofs ${tag}, which the node's directory.cfg does not map`);
    if (!to) throw new Error(`twin: ${vmid}.conf names virtiofs ${tag}, which the VM's vendor data never mounts`);
    return { tag, where: to, nodePath };
  });
}

function readdirVendor(distDir: string): string {
  const dir = join(distDir, 'proxmox', 'snippets');
  const name = readdirSync(dir).find((f) => f.endsWith('-vendor.yaml'));
  if (!name) throw new Error(`twin: no vendor snippet in ${dir}`);
  return join(dir, name);
}

export interface StartVmOptions {
  readonly host: string;
  readonly address: string;
  readonly distDir: string;
  readonly vmid: number;
  readonly directoryCfg: string;
  /** Where a path on the Proxmox node (the pool's datasets) is in this machine's own mount namespace. */
  readonly nodePathOnMachine: (nodePath: string) => string;
  readonly authorizedKeys: string;
}

/**
 * Boots a VM of the twin: its namespaces, with /run, /opt, /root, /var/lib/docker and /mnt its own,
 * the node's datasets bound where its vendor data mounts them, and its own CA bundle (what its
 * vendor data's `ca_certs` makes of Debian's: `vmTrustBundle`) over /etc/ssl/certs/ca-certificates.crt,
 * so every client in it, and every container that mounts the VM's bundle, verifies against the
 * trust store this VM would have; then dockerd (with its
 * iptables, as in a VM: NAT for the compose networks and published ports) and sshd on :22.
 */
export async function startVm(network: TwinNetwork, o: StartVmOptions): Promise<TwinVm> {
  const mounts = vmMounts(o.distDir, o.vmid, o.directoryCfg);
  const hostDir = (sub: string) => join(network.dir, 'hosts', o.host, sub);
  for (const sub of ['opt', 'root', 'docker', 'systemd', 'log']) mkdirSync(hostDir(sub), { recursive: true });
  // systemd in the VM: its own /etc/systemd/system (what deploy enables there stays the VM's), and
  // systemctl the stand-in that knows only units on disk and runs what boot starts (bin/guest-systemctl.mjs).
  // The VM's /root is its own, and node and the twin's scripts may live under the machine's
  // (/root/.local in CI): both are bound at folders of the VM's before /root is replaced.
  for (const sub of ['node-bin', 'twin-bin']) mkdirSync(hostDir(sub), { recursive: true });
  const systemctl = hostDir('systemctl');
  writeFileSync(systemctl, `#!/bin/sh\nTWIN_VM=1 TWIN_LOG_DIR='${hostDir('log')}' exec '${join(hostDir('node-bin'), basename(realpathSync(process.execPath)))}' '${join(hostDir('twin-bin'), 'guest-systemctl.mjs')}' "$@"\n`, { mode: 0o755 });
  const bundle = hostDir('ca-certificates.crt');
  writeFileSync(bundle, vmTrustBundle(readVendorData(o.distDir), readFileSync(SYSTEM_BUNDLE, 'utf8')), { mode: 0o644 });
  const binds = mounts.map((m) => {
    const from = o.nodePathOnMachine(m.nodePath);
    mkdirSync(from, { recursive: true });
    return `mkdir -p '${m.where}' && mount --bind '${from}' '${m.where}'`;
  });
  const script = [
    // As on a VM booted by systemd: / is shared (node-exporter mounts it rslave).
    'mount --make-rshared /',
    'mount -t tmpfs -o mode=0755 tmpfs /run',
    // sd_booted(3): a machine booted with systemd has /run/systemd/system.
    'mkdir -p /run/sshd /run/systemd/system',
    `mount --bind '${dirname(realpathSync(process.execPath))}' '${hostDir('node-bin')}'`,
    `mount --bind '${TWIN_BIN}' '${hostDir('twin-bin')}'`,
    `mount --bind '${hostDir('systemd')}' /etc/systemd/system`,
    `mount --bind '${systemctl}' /usr/bin/systemctl`,
    `mount --bind '${hostDir('opt')}' /opt`,
    `mount --bind '${hostDir('root')}' /root`,
    'mkdir -p /var/lib/docker 2>/dev/null || true',
    `mount --bind '${hostDir('docker')}' /var/lib/docker`,
    'mount -t tmpfs -o mode=0755 tmpfs /mnt',
    `mount --bind '${bundle}' '${SYSTEM_BUNDLE}'`,
    ...binds,
  ].join('\n');
  const node = network.addNode(o.host, o.address, { mount: { script } });
  const dockerdPath = requireTool('dockerd');
  const runtime = runtimeFlags(node.dir, missingCapabilities());
  const docker = (args: readonly string[], input?: string) => node.exec(['docker', ...args], input === undefined ? {} : { input });
  const startDockerd = async () => {
    const daemon = node.spawn([dockerdPath, '--ip6tables=false', '--bridge=none', ...storageDriverFlags(), ...runtime], { log: join(node.dir, 'dockerd.log') });
    const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
    await waitUntil(`dockerd of ${o.host}`, async () => (await docker(['info', '--format', '{{.ServerVersion}}'])).code === 0);
    // docker.service is active with dockerd as its main process: what a unit that Requires= it sees.
    const marked = await node.exec(['sh', '-c', `mkdir -p /run/twin && echo ${daemon.pid} > /run/twin/docker.service.pid`]);
    if (marked.code !== 0) throw new Error(`twin: marking docker.service of ${o.host} active: ${marked.stderr.trim()}`);
    return { daemon, exited };
  };
  let dockerd = await startDockerd();
  const sshd = await startNodeSshd(node, o.authorizedKeys);
  const holder = Number(/--mount=\/proc\/(\d+)\/ns\/mnt/.exec(node.enter.join(' '))?.[1]);
  const reboot = async (): Promise<VmBoot> => {
    await powerOff(o.host, holder);
    await dockerd.exited;
    const vendor = readVendorData(o.distDir);
    const { mounted, lost } = bootMounts(mounts, vendor);
    const boot = [
      // Power loss: /run (a tmpfs: dockerd's and containerd's state, the pid files) and every mount of /mnt are gone.
      'umount -l /run',
      'mount -t tmpfs -o mode=0755 tmpfs /run',
      'mkdir -p /run/sshd /run/systemd/system',
      'umount -R -l /mnt',
      'mount -t tmpfs -o mode=0755 tmpfs /mnt',
      // The datasets whose mount units boot starts (enabled: a WantedBy= link).
      ...mounted.map((m) => `mkdir -p '${m.where}' && mount --bind '${o.nodePathOnMachine(m.nodePath)}' '${m.where}'`),
    ].join(' && ');
    const r = await node.exec(['sh', '-c', boot]);
    if (r.code !== 0) throw new Error(`twin: booting ${o.host} again: ${r.stderr.trim()}`);
    // docker.service and ssh.service: enabled by Debian's packages (deb-systemd-helper in their postinst).
    await startNodeSshd(node, o.authorizedKeys);
    dockerd = await startDockerd();
    // Then the units enabled on the VM's disk, in After= order (deploy's homelab-<host>.service: compose up in the stack's order).
    const units = await node.exec(['systemctl', 'twin-boot'], { timeoutMs: (HEALTH_SECONDS + 60) * 1000 });
    const started = (await node.exec(['sh', '-c', `tail -n 1 '${join(hostDir('log'), 'boot.log')}'`])).stdout.trim();
    return { mounted, lost, units: { ok: units.code === 0 && !/failed$/.test(started), log: `${started}${units.code === 0 ? '' : `\n${(units.stderr || units.stdout).trim()}`}` } };
  };
  const stop = async () => {
    const { daemon, exited } = dockerd;
    const ids = (await docker(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
    // One at a time, each bounded: dockerd 20.10 was seen to hang removing twenty at once on a loaded machine.
    for (const id of ids) await node.exec(['docker', 'rm', '-f', id], { timeoutMs: 60_000 });
    daemon.kill('SIGTERM');
    const timer = setTimeout(() => daemon.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  };
  return { node, sshd, docker, mounts, stop, reboot };
}

/** Every process of the VM: each one in its mount namespace (but the namespace's holder), and every descendant (the containers, in namespaces of their own). */
function vmProcesses(holder: number): number[] {
  const ns = readlinkSync(`/proc/${holder}/ns/mnt`);
  const parent = new Map<number, number>();
  const out = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      parent.set(pid, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (pid !== holder && readlinkSync(`/proc/${pid}/ns/mnt`) === ns) out.add(pid);
    } catch {
      // gone meanwhile
    }
  }
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (!out.has(pid) && out.has(ppid)) (out.add(pid), (grew = true));
  }
  return [...out];
}

/** Power loss: SIGKILL to every process of the VM, again until none is left (a dying shim may have forked), bounded. */
async function powerOff(host: string, holder: number): Promise<void> {
  if (!Number.isInteger(holder) || holder <= 0) throw new Error(`twin: ${host} has no mount namespace holder to power off`);
  await waitUntil(`every process of ${host} killed`, async () => {
    const pids = vmProcesses(holder);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (pids.length > 0) await new Promise((r) => setTimeout(r, 200));
    return pids.length === 0;
  });
}
