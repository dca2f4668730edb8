// The twin's stand-ins for Proxmox's pct, qm, pveam, pvesm, apt-get and the node's systemctl, run inside
// the Proxmox node's namespaces. Each call is recorded (one line) for the report; each does what
// a guest needs here: a container is a namespace with its own root (made by the twin), a VM is a
// namespace the twin's runner starts. Usage: node pve-standin.mjs <config.json> <tool> args...
import { appendFileSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { show as systemctlShow } from './systemctl-show.mjs';
import { cfg, confPath, die, editConf, options, readConf, running, setState, statePath, storagePath } from './pve-conf.mjs';

const [, tool, ...args] = process.argv.slice(2);
const show = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
// The twin's own reboot is not a call deploy made.
if (tool !== 'twin-reboot') appendFileSync(cfg.calls, `${[tool, ...args].map(show).join(' ')}\n`);

function guest(vmid) {
  const g = cfg.guests[vmid];
  if (!g) die(`twin: no container namespace for vmid ${vmid} (the twin makes one per container of the lab)`);
  return g;
}

/** Runs argv inside the container (its network and mount namespaces: its own root). */
function inGuest(g, argv, input) {
  const enter = ['nsenter', `--net=/proc/${g.pid}/ns/net`, `--mount=/proc/${g.pid}/ns/mnt`, '--', 'env', `PATH=/.twin/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`];
  return spawnSync(enter[0], [...enter.slice(1), ...argv], { stdio: input === undefined ? 'inherit' : ['pipe', 'inherit', 'inherit'], input });
}

/** Proxmox allocates a volume for `storage:size`: the conf names the volume it made. */
function allocated(kind, vmid, key, value, index) {
  const m = /^([\w-]+):(\d+(?:\.\d+)?)(,.*)?$/.exec(value);
  if (!m) return value;
  if (kind === 'lxc') return `${m[1]}:subvol-${vmid}-disk-${index},size=${m[2]}G${m[3] ?? ''}`;
  const from = /import-from=([^,]+)/.exec(value);
  if (from) {
    const src = storagePath(from[1]);
    if (!existsSync(src)) die(`import-from: volume '${from[1]}' does not exist (${src})`);
  }
  return `${m[1]}:vm-${vmid}-disk-${index},size=${m[2] === '0' ? '2G' : `${m[2]}G`}`;
}


function create(kind, vmid, rest) {
  if (existsSync(confPath('lxc', vmid)) || existsSync(confPath('qemu', vmid))) die(`unable to create ${kind === 'lxc' ? 'CT' : 'VM'} ${vmid} - config file already exists`);
  let opts = rest;
  if (kind === 'lxc') {
    const template = rest[0];
    opts = rest.slice(1);
    const file = storagePath(template ?? '');
    if (!template || !existsSync(file)) die(`unable to create CT ${vmid} - volume '${template}' does not exist`);
    const g = guest(vmid);
    const r = spawnSync('tar', ['-xf', file, '-C', g.rootfs], { stdio: 'inherit' });
    if (r.status !== 0) die(`unable to create CT ${vmid} - extracting ${template} failed`);
    // The template's own enabled services (ssh, networking, cron) are the namespace's business: the twin's boot leaves them.
    const wants = spawnSync('sh', ['-c', 'cd "$1"/etc/systemd/system 2>/dev/null && ls -1 -- *.wants/ 2>/dev/null | grep -v ":$" | sort -u', 'sh', g.rootfs], { encoding: 'utf8' });
    mkdirSync(`${g.rootfs}/var/lib/twin`, { recursive: true });
    writeFileSync(`${g.rootfs}/var/lib/twin/template-enabled`, wants.stdout ?? '');
  }
  let disk = 0;
  const set = options(opts).map(([k, v]) => {
    if (k === 'sshkeys') return [k, encodeURIComponent(readFileSync(v, 'utf8')).replace(/'/g, '%27')];
    if (/^(rootfs|mp\d+|scsi\d+|virtio\d+|sata\d+|efidisk0)$/.test(k)) return [k, allocated(kind, vmid, k, v, disk++)];
    if (/^ide\d+$/.test(k) && /:cloudinit$/.test(v)) return [k, `${v.split(':')[0]}:vm-${vmid}-cloudinit,media=cdrom`];
    return [k, v];
  });
  if (kind === 'qemu') set.push(['meta', 'creation-qemu=twin'], ['smbios1', `uuid=00000000-0000-4000-8000-${String(vmid).padStart(12, '0')}`], ['vmgenid', `00000000-0000-4000-8000-${String(vmid).padStart(12, '0')}`]);
  mkdirSync(dirname(confPath(kind, vmid)), { recursive: true });
  writeFileSync(confPath(kind, vmid), editConf('', set, []));
  setState(kind, vmid, 'stopped');
}

function setOptions(kind, vmid, rest) {
  const text = readConf(kind, vmid);
  const opts = options(rest);
  const del = opts.filter(([k]) => k === 'delete').flatMap(([, v]) => v.split(','));
  const set = opts.filter(([k]) => k !== 'delete').map(([k, v]) => (k === 'sshkeys' ? [k, encodeURIComponent(readFileSync(v, 'utf8')).replace(/'/g, '%27')] : [k, v]));
  writeFileSync(confPath(kind, vmid), editConf(text, set, del));
}

/** Starting a container binds its mount points (mpN) into its root, as lxc would; the address must be the twin's. */
function startContainer(vmid) {
  const g = guest(vmid);
  const text = readConf('lxc', vmid);
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) break;
    const net = /^net\d+:.*\bip=([\d.]+)\//.exec(line);
    if (net && net[1] !== g.address) die(`twin: container ${vmid}'s net0 says ip=${net[1]} but its namespace is at ${g.address}`);
    const mp = /^mp\d+:\s*([^,]+),(?:.*,)?mp=([^,]+)/.exec(line);
    if (!mp) continue;
    const [, source, target] = mp;
    const readOnly = /,ro=1(,|$)/.test(line);
    const prefix = Object.keys(cfg.sharedPaths).find((p) => source === p || source.startsWith(`${p}/`));
    if (!prefix) die(`twin: mount source ${source} of ${vmid} is under no path the twin shares with containers (${Object.keys(cfg.sharedPaths).join(', ')})`);
    const inside = `${cfg.sharedPaths[prefix]}${source.slice(prefix.length)}`;
    const ro = readOnly ? ' && mount -o remount,bind,ro "$2"' : '';
    const r = inGuest(g, ['sh', '-c', `mkdir -p "$2" && { mountpoint -q "$2" || { mount --bind "$1" "$2"${ro}; }; }`, 'sh', inside, target]);
    if (r.status !== 0) die(`twin: binding ${source} at ${target} in ${vmid} failed`);
  }
  // The container has no route out: its apt-helper (deploy's download of upstream files) is the twin's.
  const helper = inGuest(g, ['sh', '-c', 'mountpoint -q /usr/lib/apt/apt-helper || mount --bind /.twin/bin/apt-helper /usr/lib/apt/apt-helper']);
  if (helper.status !== 0) die(`twin: binding the apt-helper stand-in in ${vmid} failed`);
  setState('lxc', vmid, 'running');
  // Boot: only the units enabled on the container's disk start (bin/guest-systemctl.mjs twin-boot).
  inGuest(g, ['systemctl', 'twin-boot']);
}

/** `status` and `config`: what Proxmox says of a guest, the same for both kinds. */
function report(kind, cmd, vmid) {
  const conf = readConf(kind, vmid);
  process.stdout.write(cmd === 'config' ? conf : `status: ${running(kind, vmid) ? 'running' : 'stopped'}\n`);
}

function pct([cmd, vmid, ...rest]) {
  switch (cmd) {
    case 'create':
      return create('lxc', vmid, rest);
    case 'set':
      return setOptions('lxc', vmid, rest);
    case 'start':
      readConf('lxc', vmid);
      if (running('lxc', vmid)) die(`CT ${vmid} already running`);
      return startContainer(vmid);
    case 'stop':
    case 'shutdown':
      readConf('lxc', vmid);
      inGuest(guest(vmid), ['systemctl', 'stop', '--all']);
      return setState('lxc', vmid, 'stopped');
    case 'status':
    case 'config':
      return report('lxc', cmd, vmid);
    case 'push': {
      if (!running('lxc', vmid)) die(`CT ${vmid} not running`);
      const [src, dst, ...o] = rest;
      const opt = Object.fromEntries(options(o));
      const owner = `${opt.user ?? 'root'}:${opt.group ?? opt.user ?? 'root'}`;
      const r = inGuest(guest(vmid), ['sh', '-c', 'cat > "$1" && chmod "$2" "$1" && chown "$3" "$1"', 'sh', dst, opt.perms ?? '0644', owner], readFileSync(src));
      return process.exit(r.status ?? 1);
    }
    case 'exec': {
      if (!running('lxc', vmid)) die(`CT ${vmid} not running`);
      const argv = rest[0] === '--' ? rest.slice(1) : rest;
      return process.exit(inGuest(guest(vmid), argv).status ?? 1);
    }
    case 'destroy':
      if (running('lxc', vmid)) die(`CT ${vmid} is running - destroy failed`);
      rmSync(confPath('lxc', vmid));
      return rmSync(statePath('lxc', vmid), { force: true });
    case 'resize':
      return;
    default:
      die(`twin: pct ${cmd} is not one of the calls the twin stands in for`);
  }
}

function qm([cmd, ...rest]) {
  const vmid = cmd === 'disk' ? rest[1] : rest[0];
  switch (cmd) {
    case 'create':
      return create('qemu', vmid, rest.slice(1));
    case 'set':
      return setOptions('qemu', vmid, rest.slice(1));
    case 'start':
      readConf('qemu', vmid);
      return setState('qemu', vmid, 'running');
    case 'stop':
    case 'shutdown':
      readConf('qemu', vmid);
      return setState('qemu', vmid, 'stopped');
    case 'status':
    case 'config':
      return report('qemu', cmd, vmid);
    case 'disk':
    case 'resize':
      readConf('qemu', vmid);
      return;
    case 'destroy':
      rmSync(confPath('qemu', vmid));
      return rmSync(statePath('qemu', vmid), { force: true });
    default:
      die(`twin: qm ${cmd} is not one of the calls the twin stands in for`);
  }
}

/**
 * pveam: `download` takes only a name of Proxmox's template index (cfg.templateIndex, the kit's
 * pinned copy: proxmox/template-index.ts), refusing any other as pveam does (PVE/API2/Nodes.pm
 * apl_download: raise_param_exc "no such template"; PVE::Exception prints the code and message,
 * the CLI the usage, exit 255), and only to a storage whose storage.cfg section allows vztmpl.
 * No download is possible here: it installs the twin's template (a container root skeleton).
 */
async function pveam([cmd, storage, name]) {
  if (cmd === 'update') return process.stdout.write('update successful\n');
  if (cmd === 'download') {
    if (!cfg.templateIndex.includes(name)) die(`400 Parameter verification failed.\ntemplate: no such template\n\npveam download <storage> <template>`, 255);
    const section = (await storageConfig()).sections.find((s) => s.id === storage);
    if (!section) die(`storage '${storage}' does not exist`);
    const content = section.properties.find((p) => p.key === 'content')?.value.split(',') ?? [];
    if (!content.includes('vztmpl')) die(`storage '${storage}' does not support templates`);
    const file = storagePath(`${storage}:vztmpl/${name}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, readFileSync(cfg.template));
    return;
  }
  if (cmd === 'list') return process.stdout.write(`NAME SIZE\n`);
  die(`twin: pveam ${cmd} is not one of the calls the twin stands in for`);
}

/**
 * /etc/pve/storage.cfg as Proxmox reads it (PVE::SectionConfig, through the kit's reader): what
 * it drops is warned about as PVE::Storage does ("ignore config line"), and is not a storage.
 */
async function storageConfig() {
  const { parseSectionConfig } = await import(cfg.sectionConfig);
  const read = parseSectionConfig(existsSync('/etc/pve/storage.cfg') ? readFileSync('/etc/pve/storage.cfg', 'utf8') : '');
  for (const i of read.ignored) process.stderr.write(`file /etc/pve/storage.cfg line ${i.line}${i.section ? ` (section '${i.section}')` : ''} - ignore config line: ${i.text}\n`);
  return read;
}

async function pvesm([cmd, arg]) {
  if (cmd === 'path') return process.stdout.write(`${storagePath(arg)}\n`);
  if (cmd === 'status') {
    const rows = (await storageConfig()).sections.map((s) => `${s.id} ${s.type} ${s.properties.some((p) => p.key === 'disable') ? 'disabled' : 'active'}`);
    return process.stdout.write(`Name Type Status\n${rows.join('\n')}\n`);
  }
  die(`twin: pvesm ${cmd} is not one of the calls the twin stands in for`);
}

const daemonPid = (u) => (existsSync(`${cfg.state}/pid-${u}`) ? Number(readFileSync(`${cfg.state}/pid-${u}`, 'utf8')) : 0);
function alive(pid) {
  try {
    return pid > 0 && (process.kill(pid, 0), true);
  } catch {
    return false;
  }
}

/** (Re)starts a daemon the twin runs for a package's unit (cfg.daemons), detached, logged in the state folder. */
function startDaemon(u, daemon) {
  const old = daemonPid(u);
  if (alive(old)) {
    process.kill(old, 'SIGTERM');
    for (let i = 0; i < 50 && alive(old); i++) spawnSync('sleep', ['0.1']);
  }
  const log = `${cfg.state}/${u}.log`;
  appendFileSync(log, '');
  const out = openSync(log, 'a');
  const child = spawn(daemon.exec[0], daemon.exec.slice(1), { detached: true, stdio: ['ignore', out, out] });
  child.unref();
  writeFileSync(`${cfg.state}/pid-${u}`, String(child.pid));
  spawnSync('sleep', ['1']);
  if (!alive(child.pid)) die(`Job for ${u} failed: the daemon exited; see ${log}`, 1);
}

const UNIT_DIRS = ['/etc/systemd/system', '/usr/lib/systemd/system'];
const unitFile = (u) => UNIT_DIRS.map((d) => `${d}/${u}`).find((p) => existsSync(p));
const active = (u) => existsSync(`${cfg.state}/unit-${u}`);
const markActive = (u) => writeFileSync(`${cfg.state}/unit-${u}`, 'active');

/** The [Install] section of a unit file: WantedBy=, RequiredBy=, Also= (each may list several). */
function installSection(path) {
  const out = { WantedBy: [], RequiredBy: [], Also: [] };
  let inInstall = false;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const head = /^\[(.+)\]\s*$/.exec(line);
    if (head) inInstall = head[1] === 'Install';
    const kv = /^(WantedBy|RequiredBy|Also)=(.*)$/.exec(line);
    if (inInstall && kv) out[kv[1]].push(...kv[2].split(/\s+/).filter(Boolean));
  }
  return out;
}

/** `systemctl enable` as systemd does it: a symlink per WantedBy=/RequiredBy= target under /etc/systemd/system; the state persists. */
function enable(u) {
  const path = unitFile(u);
  if (!path) die(`Failed to enable unit: Unit file ${u} does not exist.`, 1);
  const inst = installSection(path);
  const links = [...inst.WantedBy.map((t) => `${t}.wants`), ...inst.RequiredBy.map((t) => `${t}.requires`)];
  if (links.length === 0 && inst.Also.length === 0) {
    process.stderr.write(`The unit files have no installation config (WantedBy=, RequiredBy=, Also=,\nAlias= settings in the [Install] section, and DefaultInstance= for template\nunits). This means they are not meant to be enabled or disabled using systemctl.\n`);
  }
  for (const d of links) {
    const link = `/etc/systemd/system/${d}/${u}`;
    mkdirSync(dirname(link), { recursive: true });
    if (!existsSync(link)) {
      symlinkSync(path, link);
      process.stderr.write(`Created symlink ${link} → ${path}.\n`);
    }
  }
  for (const a of inst.Also) enable(a);
}

function disable(u) {
  for (const d of readdirSync('/etc/systemd/system').filter((x) => /\.(wants|requires)$/.test(x))) {
    const link = `/etc/systemd/system/${d}/${u}`;
    try {
      if (lstatSync(link).isSymbolicLink()) {
        rmSync(link);
        process.stderr.write(`Removed "${link}".\n`);
      }
    } catch {
      // not enabled there
    }
  }
}

const isEnabled = (u) => readdirSync('/etc/systemd/system').some((d) => /\.(wants|requires)$/.test(d) && existsSync(`/etc/systemd/system/${d}/${u}`));

/** Starts a unit: one whose daemon the twin runs (cfg.daemons) is (re)started; every other is only recorded active (no node daemon runs here). */
function start(u, verb) {
  if (!unitFile(u)) die(`Failed to ${verb} ${u}: Unit ${u} not found.`, 5);
  const daemon = cfg.daemons?.[u];
  if (daemon) startDaemon(u, daemon);
  markActive(u);
}

function stop(u) {
  if (alive(daemonPid(u))) process.kill(daemonPid(u), 'SIGTERM');
  rmSync(`${cfg.state}/unit-${u}`, { force: true });
}

/**
 * The node's systemd: it knows only the unit files on the node's disk (/etc/systemd/system, and
 * /usr/lib/systemd/system, where an installed package put them), keeps `enable` as systemd does
 * (WantedBy symlinks, which survive a reboot: `twin-reboot`), and runs no daemon but the packages'
 * daemons the twin stands in for (cfg.daemons: node-exporter).
 */
function systemctl(argv) {
  const words = argv.filter((a) => !a.startsWith('-'));
  const now = argv.includes('--now');
  const [cmd, ...units] = words;
  if (cmd === 'daemon-reload') return;
  if (['restart', 'start', 'reload', 'try-restart'].includes(cmd)) return units.forEach((u) => start(u, cmd));
  if (cmd === 'enable') {
    for (const u of units) {
      enable(u);
      if (now) start(u, 'start');
    }
    return;
  }
  if (cmd === 'disable') {
    for (const u of units) {
      disable(u);
      if (now) stop(u);
    }
    return;
  }
  if (cmd === 'is-active') {
    const down = units.filter((u) => !active(u) || (cfg.daemons?.[u] && !alive(daemonPid(u))));
    if (!argv.includes('--quiet')) process.stdout.write(units.map((u) => (down.includes(u) ? 'inactive' : 'active')).join('\n') + '\n');
    process.exit(down.length ? 3 : 0);
  }
  if (cmd === 'is-enabled') {
    const off = units.filter((u) => !isEnabled(u));
    if (!argv.includes('--quiet')) process.stdout.write(units.map((u) => (off.includes(u) ? (unitFile(u) ? 'disabled' : 'not-found') : 'enabled')).join('\n') + '\n');
    process.exit(off.length ? 1 : 0);
  }
  if (cmd === 'stop') return units.forEach(stop);
  if (cmd === 'show') {
    const r = systemctlShow(argv.slice(argv.indexOf('show') + 1), (u) => {
      const on = active(u) && !(cfg.daemons?.[u] && !alive(daemonPid(u)));
      return { path: unitFile(u), active: on, since: on ? `${cfg.state}/unit-${u}` : undefined, enabled: isEnabled(u) };
    });
    if (r.stdout) process.stdout.write(r.stdout);
    if (r.stderr) process.stderr.write(r.stderr);
    process.exit(r.code);
  }
  die(`twin: systemctl ${cmd} is not one of the calls the twin stands in for`);
}

/** The targets a boot of a Proxmox VE node reaches (default.target is multi-user.target). */
const BOOT_TARGETS = ['sysinit.target', 'basic.target', 'sockets.target', 'timers.target', 'paths.target', 'local-fs.target', 'remote-fs.target', 'network.target', 'network-online.target', 'multi-user.target', 'default.target'];

/**
 * A reboot of the node: every unit stopped, every daemon killed; then what boot starts: each unit
 * enabled into a target boot reaches (the targets it reaches, transitively). Prints the units
 * active before and after, as JSON.
 */
function twinReboot() {
  const list = () => readdirSync(cfg.state).filter((f) => f.startsWith('unit-')).map((f) => f.slice(5)).sort();
  const before = list();
  // The containers go down with the node: their units stopped, as `pct shutdown` stops them.
  const containers = Object.keys(cfg.guests).filter((id) => existsSync(confPath('lxc', id))).sort();
  const guestsBefore = Object.fromEntries(containers.map((id) => [id, running('lxc', id) ? guestUnits(id) : []]));
  for (const id of containers) {
    if (!running('lxc', id)) continue;
    inGuest(guest(id), ['systemctl', 'stop', '--all']);
    setState('lxc', id, 'stopped');
  }
  for (const u of before) stop(u);
  const seen = new Set();
  const queue = [...BOOT_TARGETS];
  while (queue.length) {
    const t = queue.shift();
    if (seen.has(t)) continue;
    seen.add(t);
    for (const kind of ['wants', 'requires']) {
      const d = `/etc/systemd/system/${t}.${kind}`;
      if (!existsSync(d)) continue;
      for (const u of readdirSync(d).sort()) {
        if (u.endsWith('.target')) queue.push(u);
        else if (!seen.has(u) && existsSync(`${d}/${u}`)) {
          seen.add(u);
          const daemon = cfg.daemons?.[u];
          if (daemon) startDaemon(u, daemon);
          markActive(u);
        }
      }
    }
  }
  // pve-guests.service, at the end of the node's boot, starts each guest whose config says onboot: 1
  // (pve-manager's PVE::API2::Nodes startall); every other stays stopped.
  for (const id of containers) if (/^onboot:\s*1\s*$/m.test(readConf('lxc', id))) startContainer(id);
  const guests = Object.fromEntries(containers.map((id) => [id, { before: guestsBefore[id], after: running('lxc', id) ? guestUnits(id) : [] }]));
  process.stdout.write(JSON.stringify({ before, after: list(), guests }));
}

/** The units active in a container (its systemctl's state in /run/twin: a live main process, or a oneshot that remains). */
function guestUnits(vmid) {
  const g = guest(vmid);
  const enter = ['--net=/proc/' + g.pid + '/ns/net', `--mount=/proc/${g.pid}/ns/mnt`, '--', 'env', 'PATH=/.twin/bin:/usr/sbin:/usr/bin:/sbin:/bin'];
  const ls = spawnSync('nsenter', [...enter, 'sh', '-c', 'ls -1 /run/twin 2>/dev/null'], { encoding: 'utf8' });
  const units = [...new Set((ls.stdout ?? '').split('\n').filter((f) => /\.(pid|ok)$/.test(f)).map((f) => f.replace(/\.(pid|ok)$/, '')))].sort();
  if (units.length === 0) return [];
  const r = spawnSync('nsenter', [...enter, 'systemctl', 'is-active', ...units], { encoding: 'utf8' });
  const states = (r.stdout ?? '').split('\n');
  return units.filter((_, i) => states[i] === 'active');
}

/**
 * apt-get on the node: `install` takes only packages Debian's archive has for the node's sources
 * (the machine's apt lists of bookworm, bookworm-updates and bookworm-security, from
 * deb.debian.org: `apt-cache show`), refusing any other as apt does ("E: Unable to locate
 * package", exit 100) before installing anything. A package the node lacks and this machine has
 * (cfg.packages: sanoid, nfs-kernel-server) is installed as its files, exactly those `dpkg -L`
 * lists, and its postinst as dh_installsystemd writes it runs: each unit with an [Install]
 * section enabled, and started when a boot target wants it. Any other package (not on this
 * machine: nothing may be installed on it) is a recorded version and a stub of its command.
 */
function aptGet(argv) {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (words[0] !== 'install') die(`twin: apt-get ${words[0]} is not one of the calls the twin stands in for`);
  const versions = {};
  for (const pkg of words.slice(1)) {
    const r = spawnSync('apt-cache', ['-o', 'Dir::Cache::pkgcache=', '-o', 'Dir::Cache::srcpkgcache=', 'show', '--no-all-versions', pkg], { encoding: 'utf8' });
    const version = /^Version: (.+)$/m.exec(r.stdout ?? '')?.[1];
    if (r.status !== 0 || !version) die(`Reading package lists...\nBuilding dependency tree...\nReading state information...\nE: Unable to locate package ${pkg}`, 100);
    versions[pkg] = version;
  }
  mkdirSync(`${cfg.state}/dpkg`, { recursive: true });
  for (const [pkg, version] of Object.entries(versions)) {
    writeFileSync(`${cfg.state}/dpkg/${pkg}`, `${version}\n`);
    const staged = cfg.packages?.[pkg];
    if (!staged) {
      writeFileSync(`${cfg.sbin}/${pkg}`, `#!/bin/sh\necho "twin: ${pkg} was installed by apt-get on the node; this is its stand-in" >&2\n`, { mode: 0o755 });
      // Its unit, as the package ships it enabled (for the daemons the twin runs: node-exporter).
      for (const [u, d] of Object.entries(cfg.daemons ?? {})) {
        if (d.package !== pkg) continue;
        writeFileSync(`/usr/lib/systemd/system/${u}`, `[Unit]\nDescription=twin: ${pkg}'s unit (the twin runs its stand-in)\n\n[Service]\nExecStart=${d.exec.join(' ')}\n\n[Install]\nWantedBy=multi-user.target\n`);
        enable(u);
        start(u, 'start');
      }
      continue;
    }
    for (const f of staged.files) {
      mkdirSync(dirname(f), { recursive: true });
      rmSync(f, { force: true });
      const r = spawnSync('cp', ['-a', `${staged.root}${f}`, f], { stdio: 'inherit' });
      if (r.status !== 0) die(`E: twin: installing ${f} of ${pkg} failed`, 100);
    }
    for (const f of staged.files.filter((x) => /^\/usr\/lib\/systemd\/system\/[^/]+\.(service|timer|socket|path)$/.test(x) && !lstatSync(x).isSymbolicLink())) {
      const u = basename(f);
      const inst = installSection(f);
      if (inst.WantedBy.length + inst.RequiredBy.length === 0) continue;
      enable(u);
      if ([...inst.WantedBy, ...inst.RequiredBy].some((t) => BOOT_TARGETS.includes(t))) start(u, 'start');
    }
  }
}

const tools = { pct, qm, pveam, pvesm, systemctl, 'apt-get': aptGet, 'twin-reboot': twinReboot };
if (!tools[tool]) die(`twin: no stand-in named ${tool}`);
await tools[tool](args);
