// systemctl inside a twin container: runs each unit's daemon as the twin knows it (real smbd,
// the twin's resolver for AdGuard Home, real systemd-sysusers), records stand-in units (no
// package here), and answers is-active. Units: /.twin/units.json; state in /run/twin.
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';

const argv = process.argv.slice(2);
const units = JSON.parse(readFileSync('/.twin/units.json', 'utf8'));
const run = '/run/twin';
mkdirSync(run, { recursive: true });
mkdirSync('/var/log/twin', { recursive: true });
appendFileSync('/var/log/twin/systemctl.log', `systemctl ${argv.join(' ')}\n`);
const [cmd, ...names] = argv.filter((a) => !a.startsWith('-'));

function die(message, code) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const pidOf = (u) => (existsSync(`${run}/${u}.pid`) ? Number(readFileSync(`${run}/${u}.pid`, 'utf8')) : 0);
const sleep = (s) => spawnSync('sleep', [String(s)]);

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
  for (const f of ['pid', 'ok', 'standin']) rmSync(`${run}/${u}.${f}`, { force: true });
}

function start(u) {
  const unit = units[u];
  if (!unit) die(`Failed to ${cmd} ${u}: Unit ${u} not found.`, 5);
  stop(u);
  if (unit.type === 'standin') return writeFileSync(`${run}/${u}.standin`, unit.why);
  if (unit.type === 'oneshot') {
    const r = spawnSync(unit.exec[0], unit.exec.slice(1), { stdio: 'inherit' });
    if (r.status !== 0) die(`Job for ${u} failed (exit ${r.status}).`, 1);
    return writeFileSync(`${run}/${u}.ok`, '');
  }
  const log = openSync(`/var/log/twin/${u}.log`, 'a');
  const child = spawn(unit.exec[0], unit.exec.slice(1), { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  writeFileSync(`${run}/${u}.pid`, String(child.pid));
  // A daemon that cannot start (a bad config) exits at once: give it a moment to show that.
  sleep(1);
  if (!alive(child.pid)) die(`Job for ${u} failed: the daemon exited; see /var/log/twin/${u}.log`, 1);
}

const active = (u) => (units[u]?.type === 'simple' ? alive(pidOf(u)) : existsSync(`${run}/${u}.ok`) || existsSync(`${run}/${u}.standin`));

switch (cmd) {
  case 'daemon-reload':
    break;
  case 'restart':
  case 'start':
  case 'reload-or-restart':
  case 'try-restart':
    names.forEach(start);
    break;
  case 'stop':
    (argv.includes('--all') ? readdirSync(run).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -4)) : names).forEach(stop);
    break;
  case 'is-active': {
    const down = names.filter((u) => !active(u));
    if (!argv.includes('--quiet')) process.stdout.write(`${names.map((u) => (down.includes(u) ? 'inactive' : 'active')).join('\n')}\n`);
    process.exit(down.length ? 3 : 0);
  }
  default:
    die(`twin: systemctl ${cmd} is not one of the calls the twin stands in for`, 1);
}
