// systemctl inside a twin container: knows only the units on the container's own disk (what a
// package or deploy put under /etc/systemd/system or /lib/systemd/system), runs a unit's
// ExecStart as the unit file says (its EnvironmentFile, User, Type), keeps `enable` as systemd
// does (WantedBy symlinks under /etc/systemd/system), and answers is-active / is-enabled.
// Units the twin must not run as written (they would change the machine) are in
// /.twin/units.json, and only when the unit itself is on disk. State in /run/twin.
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { show } from './systemctl-show.mjs';

const argv = process.argv.slice(2);
const overrides = existsSync('/.twin/units.json') ? JSON.parse(readFileSync('/.twin/units.json', 'utf8') || '{}') : {};
const run = '/run/twin';
// A twin VM shares the machine's /var/log: its wrapper names a folder of its own (TWIN_LOG_DIR).
const logs = process.env.TWIN_LOG_DIR ?? '/var/log/twin';
mkdirSync(run, { recursive: true });
mkdirSync(logs, { recursive: true });
appendFileSync(`${logs}/systemctl.log`, `systemctl ${argv.join(' ')}\n`);
const [cmd, ...names] = argv.filter((a) => !a.startsWith('-'));
const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

function die(message, code) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
const alive = (pid) => {
  try {
    return pid > 0 && (process.kill(pid, 0), true);
  } catch {
    return false;
  }
};
const pidOf = (u) => (existsSync(`${run}/${u}.pid`) ? Number(readFileSync(`${run}/${u}.pid`, 'utf8')) : 0);
const sleep = (s) => spawnSync('sleep', [String(s)]);
const full = (u) => (u.includes('.') ? u : `${u}.service`);

/** The unit file on the container's disk, or undefined (systemd: "Unit X not found."). */
function unitPath(u) {
  return UNIT_DIRS.map((d) => `${d}/${u}`).find((p) => existsSync(p));
}

/** A unit file's sections: key -> values (a key may repeat: ExecStart, EnvironmentFile). */
function parseUnit(path) {
  const sections = {};
  let cur;
  const text = readFileSync(path, 'utf8').replace(/\\\n/g, ' ');
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(line);
    if (s) {
      cur = sections[s[1]] ??= {};
      continue;
    }
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(line);
    if (kv && cur) (cur[kv[1]] ??= []).push(kv[2]);
  }
  return sections;
}

/** The environment a unit's files give (EnvironmentFile=, Environment=), as systemd reads them. */
function environment(service) {
  const env = {};
  for (let f of service.EnvironmentFile ?? []) {
    const optional = f.startsWith('-');
    if (optional) f = f.slice(1);
    if (!existsSync(f)) {
      if (optional) continue;
      throw new Error(`EnvironmentFile ${f} does not exist`);
    }
    for (const line of readFileSync(f, 'utf8').split('\n')) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
      if (m) env[m[1]] = m[2].trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
    }
  }
  for (const e of service.Environment ?? []) for (const m of e.matchAll(/"?([A-Za-z_][A-Za-z0-9_]*)=([^"\s]*)"?/g)) env[m[1]] = m[2];
  return env;
}

/** An Exec line as systemd splits it: quotes, `$VAR` as separate words, `${VAR}` in place; its prefixes (-, @, +, !). */
function command(line, env) {
  let l = line.trim();
  let ignoreFailure = false;
  while (/^[-@+!:]/.test(l)) {
    if (l[0] === '-') ignoreFailure = true;
    l = l.slice(1);
  }
  const words = [];
  for (const m of l.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    // In double quotes a backslash escapes the next character; $$ is a $, %% a % (specifiers).
    const w = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3]);
    const only = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(w);
    if (only && m[3] !== undefined) words.push(...(env[only[1]] ?? '').split(/\s+/).filter(Boolean));
    else words.push(w.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (all, k) => (all === '$$' ? '$' : (env[k] ?? ''))).replace(/%%/g, '%'));
  }
  return { argv: words, ignoreFailure };
}

/** What starting unit `u` runs: the twin's override when it has one, otherwise the unit file's own lines. */
function plan(u) {
  const path = unitPath(u);
  if (!path) die(`Failed to ${cmd} ${u}: Unit ${u} not found.`, 5);
  const unit = parseUnit(path);
  const service = unit.Service ?? {};
  const env = environment(service);
  const o = overrides[u];
  const type = o?.type ?? service.Type?.at(-1) ?? (service.ExecStart ? 'simple' : 'oneshot');
  const starts = o ? [{ argv: o.exec, ignoreFailure: false }] : (service.ExecStart ?? []).filter(Boolean).map((l) => command(l, env));
  const pre = o ? [] : (service.ExecStartPre ?? []).map((l) => command(l, env));
  const user = service.User?.at(-1);
  const dirs = ['RuntimeDirectory:/run', 'StateDirectory:/var/lib', 'CacheDirectory:/var/cache', 'LogsDirectory:/var/log'].flatMap((d) => {
    const [key, base] = d.split(':');
    return (service[key] ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean).map((n) => `${base}/${n}`);
  });
  return { path, unit, type, starts, pre, user, env, dirs, cwd: service.WorkingDirectory?.at(-1), remain: service.RemainAfterExit?.at(-1) === 'yes' };
}

/** argv as the unit's User= (setpriv, util-linux): the daemon runs as its own account, as systemd runs it. */
const asUser = (user, a) => (user && user !== 'root' ? ['setpriv', `--reuid=${user}`, `--regid=${user}`, '--init-groups', '--', ...a] : a);

function stop(u) {
  const pid = pidOf(u);
  if (pid && alive(pid)) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      process.kill(pid, 'SIGTERM');
    }
    for (let i = 0; i < 100 && alive(pid); i++) sleep(0.1);
    if (alive(pid)) process.kill(-pid, 'SIGKILL');
  }
  for (const f of ['pid', 'ok']) rmSync(`${run}/${u}.${f}`, { force: true });
}

function start(u) {
  const p = plan(u);
  // Requires=: systemd refuses a unit whose required unit is not on disk, and starts the required one first.
  for (const r of (p.unit.Unit?.Requires ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean)) {
    if (!unitPath(r)) die(`Failed to ${cmd} ${u}: Unit ${r} not found.`, 5);
    if (!active(r)) start(r);
  }
  stop(u);
  for (const d of p.dirs) mkdirSync(d, { recursive: true });
  const opts = { env: { PATH: process.env.PATH, LANG: 'C.UTF-8', ...p.env }, cwd: p.cwd && existsSync(p.cwd) ? p.cwd : '/' };
  for (const c of p.pre) {
    const r = spawnSync(c.argv[0], c.argv.slice(1), { ...opts, stdio: 'inherit' });
    if ((r.error || r.status !== 0) && !c.ignoreFailure) die(`Job for ${u} failed because the control process exited with error code (ExecStartPre ${c.argv[0]}: exit ${r.status}).`, 1);
  }
  if (p.starts.length === 0) die(`Failed to ${cmd} ${u}: Unit ${u} has no ExecStart= setting.`, 1);
  if (p.type === 'oneshot') {
    for (const c of p.starts) {
      const a = asUser(p.user, c.argv);
      const r = spawnSync(a[0], a.slice(1), { ...opts, stdio: 'inherit' });
      if (r.error) die(`${u}: Failed to execute ${a[0]}: ${r.error.code === 'ENOENT' ? 'No such file or directory' : r.error.message}\nJob for ${u} failed because the control process exited with error code.`, 1);
      if (r.status !== 0 && !c.ignoreFailure) die(`Job for ${u} failed because the control process exited with error code (exit ${r.status}).`, 1);
    }
    return writeFileSync(`${run}/${u}.ok`, p.remain ? 'remain' : '');
  }
  const log = openSync(`${logs}/${u}.log`, 'a');
  const a = asUser(p.user, p.starts[0].argv);
  const exe = p.starts[0].argv[0];
  if (exe.startsWith('/') && !existsSync(exe)) die(`${u}: Failed to execute ${exe}: No such file or directory\nJob for ${u} failed because the control process exited with error code.`, 1);
  const child = spawn(a[0], a.slice(1), { ...opts, detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(`${run}/${u}.pid`, String(child.pid));
  // A daemon that cannot start (a bad config) exits at once: give it a moment to show that.
  sleep(1);
  if (!alive(child.pid)) die(`Job for ${u} failed because the control process exited with error code; see ${logs}/${u}.log`, 1);
}

const active = (u) => alive(pidOf(u)) || (existsSync(`${run}/${u}.ok`) && readFileSync(`${run}/${u}.ok`, 'utf8') === 'remain');

/** enable: the [Install] section's WantedBy= / RequiredBy= symlinks under /etc/systemd/system, as systemctl makes them. */
function enable(u, on) {
  const p = plan(u);
  const install = p.unit.Install ?? {};
  const targets = [...(install.WantedBy ?? []).map((t) => [t, 'wants']), ...(install.RequiredBy ?? []).map((t) => [t, 'requires'])].flatMap(([ts, kind]) => ts.split(/\s+/).filter(Boolean).map((t) => `/etc/systemd/system/${t}.${kind}`));
  if (targets.length === 0 && on) process.stderr.write(`The unit files have no installation config (WantedBy=, RequiredBy=, ...) for ${u}.\n`);
  for (const dir of targets) {
    const link = `${dir}/${u}`;
    if (on) {
      mkdirSync(dir, { recursive: true });
      if (!existsSync(link)) {
        symlinkSync(p.path, link);
        process.stderr.write(`Created symlink ${link} → ${p.path}.\n`);
      }
    } else if (existsSync(link)) {
      rmSync(link);
      process.stderr.write(`Removed "${link}".\n`);
    }
  }
}

/** The units enabled under /etc/systemd/system/<target>.wants (what boot starts). */
function enabledUnits() {
  const base = '/etc/systemd/system';
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((d) => /\.target\.(wants|requires)$/.test(d))
    .flatMap((d) => readdirSync(`${base}/${d}`).map((u) => ({ u, link: `${base}/${d}/${u}` })))
    .filter(({ link }) => {
      try {
        return readlinkSync(link) !== '/dev/null';
      } catch {
        return false;
      }
    })
    .map(({ u }) => u);
}
const isEnabled = (u) => enabledUnits().includes(u);

/**
 * Boot: sysinit's accounts and sysctl settings (static units of Debian's systemd, run at every
 * boot), then the units enabled since the template (a package's, deploy's), in After= order; the
 * template's own (ssh, networking, cron) are the namespace's business.
 */
function boot() {
  const skip = existsSync('/var/lib/twin/template-enabled') ? readFileSync('/var/lib/twin/template-enabled', 'utf8').split('\n') : [];
  // A twin VM's /lib is the machine's: its sysinit is not the VM's to run (TWIN_VM=1 in its wrapper).
  const sysinit = process.env.TWIN_VM === '1' ? [] : ['systemd-sysusers.service', 'systemd-sysctl.service'].filter((u) => existsSync(`/lib/systemd/system/sysinit.target.wants/${u}`));
  const todo = [...new Set([...sysinit, ...enabledUnits()])].filter((u) => !skip.includes(u) && unitPath(u)).sort();
  const after = (u) => (parseUnit(unitPath(u)).Unit?.After ?? []).flatMap((v) => v.split(/\s+/));
  const order = [];
  while (todo.length) {
    const first = todo.findIndex((u) => sysinit.includes(u));
    const i = first >= 0 ? first : Math.max(0, todo.findIndex((u) => !after(u).some((a) => todo.includes(a) && a !== u)));
    order.push(...todo.splice(i, 1));
  }
  let failed = 0;
  for (const u of order) {
    const r = spawnSync(process.execPath, [process.argv[1], 'start', u], { stdio: 'inherit' });
    if (r.status !== 0) failed++;
  }
  appendFileSync(`${logs}/boot.log`, `boot: started ${order.join(' ') || '(none)'}${failed ? `; ${failed} failed` : ''}\n`);
}

switch (cmd) {
  case 'daemon-reload':
    break;
  case 'restart':
  case 'start':
  case 'reload-or-restart':
  case 'try-restart':
    names.map(full).forEach(start);
    break;
  case 'enable':
  case 'disable':
    names.map(full).forEach((u) => enable(u, cmd === 'enable'));
    if (argv.includes('--now')) names.map(full).forEach(cmd === 'enable' ? start : stop);
    break;
  case 'reenable':
    names.map(full).forEach((u) => (enable(u, false), enable(u, true)));
    break;
  case 'stop':
    (argv.includes('--all') ? readdirSync(run).filter((f) => f.endsWith('.pid') || f.endsWith('.ok')).map((f) => f.replace(/\.(pid|ok)$/, '')) : names.map(full)).forEach(stop);
    break;
  case 'twin-boot':
    boot();
    break;
  case 'is-active': {
    const down = names.map(full).filter((u) => !active(u));
    if (!argv.includes('--quiet')) process.stdout.write(`${names.map(full).map((u) => (down.includes(u) ? 'inactive' : 'active')).join('\n')}\n`);
    process.exit(down.length ? 3 : 0);
  }
  case 'is-enabled': {
    const off = names.map(full).filter((u) => !isEnabled(u));
    if (!argv.includes('--quiet')) process.stdout.write(`${names.map(full).map((u) => (off.includes(u) ? (unitPath(u) ? 'disabled' : 'not-found') : 'enabled')).join('\n')}\n`);
    process.exit(off.length ? 1 : 0);
  }
  case 'show': {
    const r = show(argv.slice(argv.indexOf('show') + 1), (u) => {
      const started = [`${run}/${u}.pid`, `${run}/${u}.ok`].find((f) => existsSync(f));
      return { path: unitPath(u), active: active(u), oneshot: existsSync(`${run}/${u}.ok`), since: started, enabled: isEnabled(u) };
    });
    if (r.stdout) process.stdout.write(r.stdout);
    if (r.stderr) process.stderr.write(r.stderr);
    process.exit(r.code);
  }
  default:
    die(`twin: systemctl ${cmd} is not one of the calls the twin stands in for`, 1);
}
