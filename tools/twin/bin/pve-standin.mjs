// The twin's stand-ins for Proxmox's pct, qm, pveam, pvesm, apt-get and the node's systemctl, run inside
// the Proxmox node's namespaces. Each call is recorded (one line) for the report; each does what
// a guest needs here: a container is a namespace with its own root (made by the twin), a VM is a
// namespace the twin's runner starts. Usage: node pve-standin.mjs <config.json> <tool> args...
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { cfg, confPath, die, editConf, options, readConf, running, setState, statePath, storagePath } from './pve-conf.mjs';

const [, tool, ...args] = process.argv.slice(2);
const show = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
appendFileSync(cfg.calls, `${[tool, ...args].map(show).join(' ')}\n`);

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
  setState('lxc', vmid, 'running');
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

/** pveam: no download is possible here; `download` installs the twin's template (a container root skeleton) under the name asked for. */
function pveam([cmd, storage, name]) {
  if (cmd === 'update') return process.stdout.write('update successful\n');
  if (cmd === 'download') {
    const file = storagePath(`${storage}:vztmpl/${name}`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, readFileSync(cfg.template));
    return;
  }
  if (cmd === 'list') return process.stdout.write(`NAME SIZE\n`);
  die(`twin: pveam ${cmd} is not one of the calls the twin stands in for`);
}

function pvesm([cmd, arg]) {
  if (cmd === 'path') return process.stdout.write(`${storagePath(arg)}\n`);
  if (cmd === 'status') return process.stdout.write('Name Type Status\nlocal dir active\nlocal-zfs zfspool active\n');
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

/**
 * The node's systemd: units must exist; no service is run (the node's daemons are the twin's),
 * except the packages' daemons the twin stands in for (cfg.daemons: node-exporter).
 */
function systemctl(argv) {
  const words = argv.filter((a) => !a.startsWith('-'));
  const [cmd, ...units] = words;
  const unitFile = (u) => ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'].map((d) => `${d}/${u}`).find((p) => existsSync(p));
  if (cmd === 'daemon-reload') return;
  if (['restart', 'start', 'enable', 'reload', 'try-restart'].includes(cmd)) {
    for (const u of units) {
      const daemon = cfg.daemons?.[u];
      // A package's daemon the twin runs: its unit exists once apt-get installed the package.
      if (daemon ? !existsSync(`${cfg.sbin}/${daemon.package}`) : !unitFile(u)) die(`Failed to ${cmd} ${u}: Unit ${u} not found.`, 5);
      if (daemon && cmd !== 'enable') startDaemon(u, daemon);
      writeFileSync(`${cfg.state}/unit-${u}`, 'active');
    }
    return;
  }
  if (cmd === 'is-active') {
    const down = units.filter((u) => !existsSync(`${cfg.state}/unit-${u}`) || (cfg.daemons?.[u] && !alive(daemonPid(u))));
    if (!argv.includes('--quiet')) process.stdout.write(units.map((u) => (down.includes(u) ? 'inactive' : 'active')).join('\n') + '\n');
    process.exit(down.length ? 3 : 0);
  }
  if (cmd === 'stop' || cmd === 'disable') {
    return units.forEach((u) => {
      if (cmd === 'stop' && alive(daemonPid(u))) process.kill(daemonPid(u), 'SIGTERM');
      rmSync(`${cfg.state}/unit-${u}`, { force: true });
    });
  }
  die(`twin: systemctl ${cmd} is not one of the calls the twin stands in for`);
}

/**
 * apt-get on the node: nothing may be installed on the machine the twin runs on, so an installed
 * package is a recorded call and a stub of its command in the node's /usr/local/sbin.
 */
function aptGet(argv) {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (words[0] !== 'install') die(`twin: apt-get ${words[0]} is not one of the calls the twin stands in for`);
  for (const pkg of words.slice(1)) writeFileSync(`${cfg.sbin}/${pkg}`, `#!/bin/sh\necho "twin: ${pkg} was installed by apt-get on the node; this is its stand-in" >&2\n`, { mode: 0o755 });
}

const tools = { pct, qm, pveam, pvesm, systemctl, 'apt-get': aptGet };
if (!tools[tool]) die(`twin: no stand-in named ${tool}`);
tools[tool](args);
