import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { daemonsOf, installerDatacenterCfg, installerStorageCfg, installerUserCfg, isLxcHost, isVmHost, PROXMOX_TEMPLATE_INDEX, replicaName, type DatasetRef, type ProxmoxHostDef } from '@homelab/kit/internal';
import { requireTool, run } from '@homelab/testing';
import { execSync, must, type TwinNetwork, type TwinNode } from '../namespaces.js';
import { startNodeSshd, type NodeSshd } from '../sshd.js';
import type { TwinLab } from '../lab.js';
import { addContainer, CONTAINER_POOL_PATH, makeTemplate, writeContainerBin, type TwinContainer } from '../lxc/containers.js';
import { writeContainerMirrors } from '../lxc/mirror.js';
import { startStorage, TWIN_BIN, type TwinStorage } from '../storage/pool.js';
import { hostRootScript } from './rootfs.js';
import { FRESH_NODE_LACKS, stagePackages, type StagedPackage } from './node-packages.js';

export interface ProxmoxNodeOptions {
  /** The twin's temp dir (the network's). */
  readonly twinDir: string;
  /** The deploy key's public half: authorized on the node. */
  readonly authorizedKeys: string;
  /** Where the twin puts the offsite replication target (an address of the lab's subnet no host uses). */
  readonly offsiteAddress: string;
  /** Size of the pool files (sparse). */
  readonly poolMiB?: number;
}

/** The units active before and after a node's reboot: the node's, and each container's by vmid. */
export interface NodeReboot {
  readonly before: string[];
  readonly after: string[];
  readonly guests: Readonly<Record<string, { readonly before: string[]; readonly after: string[] }>>;
}

export interface ProxmoxTwin {
  readonly node: TwinNode;
  readonly sshd: NodeSshd;
  readonly offsite: TwinNode;
  readonly containers: ReadonlyMap<string, TwinContainer>;
  readonly storage: TwinStorage;
  /** The node's definition in the lab. */
  readonly host: ProxmoxHostDef;
  /** Where `/tank/...` (the pool's mount points on the node) is in the machine's mount namespace. */
  readonly poolMountRoot: string;
  /** A dataset's mount point in the machine's mount namespace: `tank/services/apps` or a DatasetRef of the model. */
  datasetHostPath(dataset: string | Pick<DatasetRef, 'pool' | 'name'>): string;
  /** Every pct/qm/pveam/pvesm/systemctl call made on the node, in order. */
  calls(): string[];
  /**
   * Reboots the node as systemd would: every unit stopped (daemons killed), then the units boot
   * starts (those enabled under /etc/systemd/system/<target>.wants of a target boot reaches).
   * The containers go down with it and those with `onboot: 1` start at the end of its boot (their
   * enabled units only). Returns the units active before and after, the node's and each container's (by vmid).
   */
  reboot(): Promise<NodeReboot>;
  /** What is real and what stands in, for the report. */
  readonly notes: readonly string[];
  /** Stops everything this layer started and destroys its pools; safe after a failure, and twice. */
  teardown(): void;
}

function proxmoxHost(lab: TwinLab): ProxmoxHostDef {
  const host = (lab.loaded.lab.nodes ?? [])[0];
  if (!host) throw new Error('twin: the lab has no Proxmox node package');
  return host;
}

/**
 * The node's /etc: a copy of the machine's (deploy writes /etc/sanoid, units, /etc/subuid there)
 * without the files and enabled units of the packages a fresh node lacks, and /etc/pve as the
 * installer leaves it (storage.cfg byte for byte, user.cfg, datacenter.cfg: proxmox/installer-files.ts).
 */
function prepareEtc(dir: string, node: string, lacks: Readonly<Record<string, StagedPackage>>): string {
  const etc = join(dir, 'etc');
  must(['cp', '-a', '/etc', etc]);
  const files = Object.values(lacks).flatMap((p) => p.files);
  for (const f of files.filter((x) => x.startsWith('/etc/'))) rmSync(join(dir, f), { force: true });
  const units = new Set(files.filter((f) => f.startsWith('/usr/lib/systemd/system/')).map((f) => basename(f)));
  const system = join(etc, 'systemd', 'system');
  for (const wants of readdirSync(system).filter((d) => /\.(wants|requires)$/.test(d))) {
    for (const u of readdirSync(join(system, wants))) if (units.has(u)) rmSync(join(system, wants, u), { force: true });
  }
  rmSync(join(etc, 'pve'), { recursive: true, force: true });
  mkdirSync(join(etc, 'pve'));
  writeFileSync(join(etc, 'pve', 'storage.cfg'), installerStorageCfg());
  writeFileSync(join(etc, 'pve', 'user.cfg'), installerUserCfg('root@example.invalid'));
  writeFileSync(join(etc, 'pve', 'datacenter.cfg'), installerDatacenterCfg());
  for (const d of ['lxc', 'qemu-server']) mkdirSync(join(etc, 'pve', 'nodes', node, d), { recursive: true });
  symlinkSync(`nodes/${node}`, join(etc, 'pve', 'local'));
  symlinkSync(`nodes/${node}/lxc`, join(etc, 'pve', 'lxc'));
  symlinkSync(`nodes/${node}/qemu-server`, join(etc, 'pve', 'qemu-server'));
  for (const f of ['subuid', 'subgid']) writeFileSync(join(etc, f), 'root:100000:65536\n');
  return etc;
}

/** The kit package's folder (its built lib/ holds the modules the stand-ins import). */
function kitRoot(): string {
  let dir = dirname(createRequire(import.meta.url).resolve('@homelab/kit/internal'));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function wrapper(bin: string, name: string, target: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\nexec ${target} "$@"\n`, { mode: 0o755 });
}

/**
 * The Proxmox layer of the twin: storage (zfs-fuse, pool `tank` and the offsite's `backup`),
 * the containers' namespaces (one per LXC host, at its address, with its own root), the node
 * `pve` at its address with a root of its own (/etc, /etc/pve, /var/lib/vz, /root, /run, /opt
 * are the twin's; /tank is the pool) and the stand-ins first on its PATH, its sshd, and the
 * offsite node (sshd, the `backup` pool through the same daemon) the replication targets.
 */
export async function startProxmoxNode(network: TwinNetwork, lab: TwinLab, opts: ProxmoxNodeOptions): Promise<ProxmoxTwin> {
  const host = proxmoxHost(lab);
  const dir = join(opts.twinDir, 'hosts', 'pve');
  mkdirSync(dir, { recursive: true });
  const undo: (() => void)[] = [];
  const teardown = (): void => {
    for (const f of undo.splice(0).reverse()) {
      try {
        f();
      } catch {
        // keep tearing down the rest
      }
    }
  };
  try {
    const storage = await startStorage(join(opts.twinDir, 'storage'));
    undo.push(() => storage.teardown());
    const notes: string[] = [];
    const pool = lab.loaded.lab.facts.zfs.pool;
    await storage.createPool(pool, opts.poolMiB ?? 1024);
    const poolTank = join(storage.poolRoot, pool);
    // Containers first: the node's stand-ins find them by vmid.
    writeContainerBin(opts.twinDir);
    // The template (a Debian root made by mmdebstrap) and the Debian packages a container installs: once per machine.
    const template = makeTemplate();
    const adguardVersions = [...new Set(lab.loaded.lab.hosts.flatMap((h) => daemonsOf(h, 'adguard').map((a) => a.version)))];
    const debianMirror = writeContainerMirrors(opts.twinDir, template, adguardVersions);
    const mirrored = readFileSync(join(debianMirror, 'Packages'), 'utf8');
    const version = (pkg: string) => new RegExp(`^Package: ${pkg}\\n(?:.+\\n)*?Version: (\\S+)`, 'm').exec(mirrored)?.[1] ?? 'none';
    const containers = new Map<string, TwinContainer>();
    const killNetns = (n: TwinNode) => () => {
      for (const pid of execSync(['ip', 'netns', 'pids', n.netns]).stdout.split('\n').filter(Boolean)) execSync(['kill', '-9', pid]);
    };
    for (const h of lab.loaded.lab.hosts.filter(isLxcHost)) {
      const c = addContainer(network, opts.twinDir, { name: h.name, vmid: h.vmid, address: h.address }, poolTank, debianMirror);
      containers.set(h.name, c);
      undo.push(killNetns(c.node));
    }
    const state = join(dir, 'state');
    const sbin = join(dir, 'sbin');
    const vz = join(dir, 'vz');
    for (const d of [state, sbin, join(dir, 'home', '.ssh'), join(dir, 'run', 'sshd'), join(dir, 'run', 'lock'), join(dir, 'run', 'zfs'), join(dir, 'opt'), join(dir, 'node-exporter'), join(vz, 'template', 'cache'), join(vz, 'import'), join(vz, 'snippets')]) mkdirSync(d, { recursive: true });
    const calls = join(dir, 'proxmox-calls.log');
    writeFileSync(calls, '');
    const lacks = stagePackages(join(dir, 'packages'), FRESH_NODE_LACKS);
    // The stand-ins read /etc/pve/storage.cfg with the kit's own reader of Proxmox's section format.
    const sectionConfig = join(kitRoot(), 'lib', 'proxmox', 'section-config.js');
    // The VMs' cloud image, downloaded by hand as deploy's note says (the model names no URL): a
    // stand-in file, since a VM here is a namespace, not a disk; qm create checks it is there.
    for (const image of new Set(lab.loaded.lab.hosts.filter(isVmHost).flatMap((h) => (h.disk?.importFrom ? [h.disk.importFrom] : [])))) {
      const name = /^local:import\/(.+)$/.exec(image)?.[1];
      if (name) writeFileSync(join(vz, 'import', name), 'twin: stand-in for the cloud image (a VM of the twin is a namespace, not a disk)\n');
    }
    notes.push(`containers: real daemons from Debian's archive, installed by each container's own apt-get: prometheus-node-exporter ${version('prometheus-node-exporter')}, samba ${version('samba')}; Tailscale and AdGuard Home (${adguardVersions.join(', ')}) are stand-ins installed only through upstream's repository and release (lxc/upstream.ts).`);
    notes.push('proxmox: the VMs\' cloud image is placed in the import storage by the twin, as a user does by hand when deploy pve says it is missing (the model names no URL); it is a stand-in file.');
    const config = join(dir, 'standins.json');
    writeFileSync(
      config,
      JSON.stringify({
        calls,
        state,
        sbin,
        node: host.node,
        template,
        templateIndex: PROXMOX_TEMPLATE_INDEX.system,
        packages: lacks,
        sectionConfig,
        sharedPaths: { [`/${pool}`]: CONTAINER_POOL_PATH },
        // Debian's prometheus-node-exporter is not installed here: its unit runs the twin's stand-in.
        daemons: { 'prometheus-node-exporter.service': { package: 'prometheus-node-exporter', exec: [process.execPath, join(TWIN_BIN, 'twin-metrics.mjs'), '/etc/default/prometheus-node-exporter'] } },
        guests: Object.fromEntries([...containers.values()].map((c) => [String(c.vmid), { pid: c.pid, rootfs: c.rootfs, address: c.node.address }])),
      }),
    );
    for (const tool of ['pct', 'qm', 'pveam', 'pvesm', 'systemctl', 'apt-get', 'twin-reboot']) wrapper(sbin, tool, `${process.execPath} ${join(TWIN_BIN, 'pve-standin.mjs')} ${config} ${tool}`);
    wrapper(sbin, 'zfs', storage.zfsWrapper);
    // virtiofsd as Proxmox VE 8.4 ships it: qemu-server Recommends it since 8.4 (debian/control of
    // stable-bookworm, commit 87b22e38 "fix #1027: virtio-fs support", 2025-04-07, read 2026-12-07),
    // from Proxmox's repository (Debian's bookworm archive has no virtiofsd). A stub: no VM of the twin runs QEMU.
    writeFileSync(join(sbin, 'virtiofsd'), '#!/bin/sh\necho "twin: virtiofsd as Proxmox VE 8.4 ships it (a stub: no VM here runs QEMU)" >&2\n', { mode: 0o755 });
    const etc = prepareEtc(dir, host.node, lacks);
    // The offsite target: whatever host name each replication target of the model holds resolves, on the node, to the twin's offsite node (and nowhere else).
    for (const t of host.replication ?? []) appendFileSync(join(etc, 'hosts'), `${opts.offsiteAddress} ${t.host}\n`);
    const node = network.addNode('pve', host.address, {
      mount: {
        script: hostRootScript(join(dir, 'root'), {
          '/etc': etc,
          '/root': join(dir, 'home'),
          '/run': join(dir, 'run'),
          '/run/zfs': storage.socketDir,
          // Deploy's releases; the rest of /opt is the machine's (node may live there).
          '/opt/homelab': join(dir, 'opt'),
          '/var/lib/vz': vz,
          // node-exporter's textfile folder (the snapshot ages): the node's own, not the machine's.
          '/var/lib/prometheus/node-exporter': join(dir, 'node-exporter'),
          '/usr/local/sbin': sbin,
          [`/${pool}`]: poolTank,
          // zfs makes a dataset's mount point itself, at its altroot path: the pools must be there too.
          [storage.poolRoot]: storage.poolRoot,
        }, Object.values(lacks).flatMap((p) => p.files.filter((f) => f.startsWith('/usr/')))),
      },
    });
    undo.push(killNetns(node));
    const sshd = await startNodeSshd(node, opts.authorizedKeys);
    const offsite = await startOffsite(network, opts, storage, host, dir);
    undo.push(killNetns(offsite.node));
    notes.push(
      `proxmox: the node starts as a fresh Proxmox VE 8.4 install: /etc/pve/storage.cfg, user.cfg and datacenter.cfg as pve-installer writes them (Proxmox/Install.pm, Install/StorageConfig.pm, read 2026-12-07), no container template (pveam download installs the twin's, a Debian 12 root made by mmdebstrap, lxc/template.ts, under a name Proxmox's index has), no /etc/pve/mapping, no ${FRESH_NODE_LACKS.join(', ')} (their files hidden until apt-get installs them), virtiofsd as PVE 8.4 ships it (a stub); homelab deploy pve makes it ready.`,
      `proxmox: the node's stand-ins were checked against: pveam - Proxmox's template index (${PROXMOX_TEMPLATE_INDEX.source}, read ${PROXMOX_TEMPLATE_INDEX.read}); pvesm - storage.cfg read as PVE::SectionConfig reads it (pve-common, read 2026-12-07); apt-get - Debian's archive for the node's sources (this machine's bookworm lists from deb.debian.org, apt-cache show), installing ${Object.entries(lacks).map(([n, p]) => `${n} ${p.version}`).join(', ')} as the files its Debian package ships, any other package as a stub; systemctl - the unit files on the node's disk, enable as WantedBy links, a reboot starting only enabled units.`,
      'proxmox: pct, qm, pveam, pvesm, apt-get and the node\'s systemctl are stand-ins (bin/pve-standin.mjs) that record each call and keep /etc/pve/nodes/<node>/{lxc,qemu-server}/<vmid>.conf as Proxmox would; a container is a namespace at its address whose root is its own folder (pct push writes there, pct exec runs there), with its own /usr from the template; its apt-get installs from the twin\'s copy of each source it has configured (Debian\'s archive; Tailscale\'s repository as a stand-in package), its apt-helper download serves stand-ins only for the pinned upstream URLs, and its systemctl knows only the units on its own disk.',
      `storage: pool ${pool} is a real ZFS pool (zfs-fuse, pool version 23) on a sparse file; the offsite pool backup is served by the same daemon, reached from the offsite node's own namespace over SSH; each replication target's host name (read from the model) resolves to the offsite node through the Proxmox node's /etc/hosts.`,
    );
    return {
      node,
      sshd,
      offsite: offsite.node,
      containers,
      storage,
      host,
      poolMountRoot: storage.poolRoot,
      datasetHostPath: (dataset) => (typeof dataset === 'string' ? join(storage.poolRoot, dataset) : join(storage.poolRoot, dataset.pool, dataset.name)),
      calls: () => readFileSync(calls, 'utf8').split('\n').filter(Boolean),
      reboot: async () => {
        const r = await node.exec(['twin-reboot']);
        if (r.code !== 0) throw new Error(`twin: rebooting the node failed: ${r.stderr}`);
        return JSON.parse(r.stdout) as NodeReboot;
      },
      notes,
      teardown,
    };
  } catch (e) {
    teardown();
    throw e;
  }
}

/**
 * The offsite machine, prepared as docs/storage.md says: the `backup` pool with the parents a
 * receive needs, the `syncoid` login with the node's key, its host key known to the node.
 * zfs-fuse has no `zfs allow` over its root-only socket: the syncoid login is a second name for
 * uid 0 here (the report says so).
 */
async function startOffsite(network: TwinNetwork, opts: ProxmoxNodeOptions, storage: TwinStorage, host: ProxmoxHostDef, pveDir: string): Promise<{ node: TwinNode; sshd: NodeSshd }> {
  const dir = join(opts.twinDir, 'hosts', 'offsite');
  const targets = host.replication ?? [];
  for (const d of ['home', 'run/sshd', 'run/lock', 'sbin']) mkdirSync(join(dir, d), { recursive: true });
  const etc = join(dir, 'etc');
  must(['cp', '-a', '/etc', etc]);
  for (const t of [...new Set(targets.map((x) => x.user))]) appendFileSync(join(etc, 'passwd'), `${t}:x:0:0:replication login (uid 0 in the twin):/root:/bin/sh\n`);
  wrapper(join(dir, 'sbin'), 'zfs', storage.zfsWrapper);
  for (const pool of [...new Set(targets.map((t) => t.pool))]) {
    await storage.createPool(pool, opts.poolMiB ?? 1024);
    // Receive needs each replica's parent: `zfs create -p` them, as docs/storage.md says.
    const parents = new Set(
      targets
        .filter((t) => t.pool === pool)
        .flatMap((t) => t.datasets.map((d) => replicaName(t, d.pool, d.name).split('/').slice(0, -1).join('/'))),
    );
    for (const p of parents) {
      const r = await storage.run(['zfs', 'create', '-p', p]);
      if (r.code !== 0) throw new Error(`twin: zfs create -p ${p}: ${r.stderr}`);
    }
  }
  const node = network.addNode('offsite', opts.offsiteAddress, {
    mount: { script: hostRootScript(join(dir, 'root'), { '/etc': etc, '/root': join(dir, 'home'), '/run': join(dir, 'run'), '/run/zfs': storage.socketDir, '/usr/local/sbin': join(dir, 'sbin'), [storage.poolRoot]: storage.poolRoot }) },
  });
  // The node's replication key, authorized on the offsite node; the offsite's host key known to the node.
  const keys = join(pveDir, 'home', '.ssh');
  for (const t of targets) {
    const key = join(keys, t.sshKey.split('/').pop()!);
    if (!existsSync(key)) {
      const r = run(requireTool('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-C', 'syncoid@twin', '-f', key]);
      if (r.code !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
    }
  }
  const authorized = join(dir, 'authorized_keys');
  writeFileSync(authorized, targets.map((t) => readFileSync(join(keys, `${t.sshKey.split('/').pop()}.pub`), 'utf8')).join(''));
  const sshd = await startNodeSshd(node, authorized);
  const hostPub = readFileSync(join(node.dir, 'sshd', 'host_key.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(keys, 'known_hosts'), targets.map((t) => `${t.host} ${hostPub}\n`).join(''));
  return { node, sshd };
}
