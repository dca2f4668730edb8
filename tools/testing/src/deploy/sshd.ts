import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { requireTool, run } from '../tools.js';
import { freePort, startDaemon, waitFor, type Daemon } from './processes.js';

export interface TestSshd extends Daemon {
  readonly port: number;
  /** SHA256:... of its host key, as `ssh-keygen -lf` prints it. */
  readonly hostKey: string;
  /** The private key its authorized_keys accepts. */
  readonly clientKey: string;
  readonly logFile: string;
  log(): string;
}

/** Makes `<dir>/host_key` and `<dir>/client_key` (ed25519, no passphrase) and an authorized_keys for the client key. */
export function makeSshKeys(dir: string): void {
  const keygen = requireTool('ssh-keygen');
  mkdirSync(dir, { recursive: true });
  for (const key of ['host_key', 'client_key']) {
    const r = run(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', `homelab-test-${key}`, '-f', join(dir, key)]);
    if (r.code !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
  }
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client_key.pub')), { mode: 0o600 });
}

/** An sshd_config for a test sshd: key authentication only, its files under `dir`, `authorizedKeys` accepted. */
export function sshdConfig(dir: string, listen: { address: string; port: number }, authorizedKeys = join(dir, 'authorized_keys')): string {
  return [
    `Port ${listen.port}`,
    `ListenAddress ${listen.address}`,
    `HostKey ${join(dir, 'host_key')}`,
    `AuthorizedKeysFile ${authorizedKeys}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'UsePAM no',
    'StrictModes no',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'MaxStartups 20',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

/** SHA256:... of a public key file, as `ssh-keygen -lf` prints it. */
export function fingerprintOf(pubFile: string): string {
  const r = run(requireTool('ssh-keygen'), ['-lf', pubFile]);
  const fp = r.stdout.split(' ')[1];
  if (r.code !== 0 || !fp) throw new Error(`ssh-keygen -lf ${pubFile}: ${r.stderr}`);
  return fp;
}

/**
 * sshd on 127.0.0.1, for this test only: its own host key, authorized key, port and config file,
 * key authentication only. It runs in its own mount namespace with an empty home for root, so
 * the sessions do not read the machine's dotfiles (a slow ~/.bashrc would skew the timings);
 * `binds` mounts more folders over existing ones in that namespace only.
 */
export async function startSshd(dir: string, options: { binds?: readonly (readonly [source: string, target: string])[] } = {}): Promise<TestSshd> {
  const sshd = requireTool('sshd');
  const unshare = requireTool('unshare');
  requireTool('mount');
  makeSshKeys(dir);
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(config, sshdConfig(dir, { address: '127.0.0.1', port }));
  const check = run(sshd, ['-t', '-f', config]);
  if (check.code !== 0) throw new Error(`sshd -t: ${check.stderr}`);
  const logFile = join(dir, 'sshd.log');
  // `binds` (only inside its namespace): e.g. stand-in commands over /usr/local/sbin, first on the sessions' PATH.
  const binds = (options.binds ?? []).map(([source, target]) => `mount --bind ${source} ${target} && `).join('');
  const script = `mount --bind ${home} /root && ${binds}exec ${sshd} -D -e -f ${config}`;
  const daemon = startDaemon(unshare, ['--mount', '--propagation', 'private', 'sh', '-c', script], { log: logFile });
  await waitFor(`sshd on 127.0.0.1:${port}`, () => canConnect(port), 60_000);
  return { ...daemon, port, hostKey: fingerprintOf(join(dir, 'host_key.pub')), clientKey: join(dir, 'client_key'), logFile, log: () => readFileSync(logFile, 'utf8') };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
