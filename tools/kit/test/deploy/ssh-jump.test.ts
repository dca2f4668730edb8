import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server, utils, type Connection } from 'ssh2';
import { connectSsh, resolveTarget } from '../../src/internal.js';

// ProxyJump through a real SSH server: two in-process ssh2 servers on 127.0.0.1, the first one
// forwarding to the second, trusted only through a temp HOME's known_hosts.
const hostKey = () => utils.generateKeyPairSync('ed25519');
const blobOf = (pub: string) => Buffer.from((utils.parseKey(pub) as { getPublicSSH(): Buffer }).getPublicSSH()).toString('base64');

function server(key: { private: string }, onClient: (c: Connection) => void): Promise<{ srv: Server; port: number }> {
  const srv = new Server({ hostKeys: [key.private] }, (c) => {
    // A client that refuses the host key ends the handshake: that is the test's point, not an error.
    c.on('error', () => {});
    c.on('authentication', (ctx) => (ctx.method === 'publickey' ? ctx.accept() : ctx.reject(['publickey'])));
    onClient(c);
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ srv, port: (srv.address() as AddressInfo).port })));
}

let home: string;
let jump: { srv: Server; port: number };
let target: { srv: Server; port: number };
const jumpKey = hostKey();
const targetKey = hostKey();
const forwarded: number[] = [];
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'homelab-ssh-jump-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_ed25519'), hostKey().private);
  target = await server(targetKey, (c) =>
    c.on('ready', () =>
      c.on('session', (accept) =>
        accept().on('exec', (acceptExec) => {
          const ch = acceptExec();
          ch.write('hello from the target\n');
          ch.exit(0);
          ch.end();
        }),
      ),
    ),
  );
  jump = await server(jumpKey, (c) =>
    c.on('tcpip', (accept, _reject, info) => {
      forwarded.push(info.destPort);
      const sock = tcpConnect(info.destPort, info.destIP, () => {
        const ch = accept();
        ch.pipe(sock).pipe(ch);
      });
      sock.on('error', () => {});
    }),
  );
  writeFileSync(join(home, '.ssh', 'config'), `Host vm-media\n  HostName 127.0.0.1\n  Port ${target.port}\n  ProxyJump bastion\n\nHost bastion\n  HostName 127.0.0.1\n  Port ${jump.port}\n  User jumper\n`);
});
afterAll(() => {
  jump.srv.close();
  target.srv.close();
  rmSync(home, { recursive: true, force: true });
});

function knownHosts(targetPub: string): void {
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${jump.port} ssh-ed25519 ${blobOf(jumpKey.public)}\n[127.0.0.1]:${target.port} ssh-ed25519 ${blobOf(targetPub)}\n`);
}

function exec(client: import('ssh2').Client): Promise<string> {
  return new Promise((resolve, reject) =>
    client.exec('true', (err, ch) => {
      if (err) return reject(err);
      let out = '';
      ch.on('data', (d: Buffer) => (out += d.toString())).on('close', () => resolve(out));
    }),
  );
}

describe('ProxyJump', () => {
  it('reaches the host through the jump host, both trusted by known_hosts', async () => {
    knownHosts(targetKey.public);
    const t = resolveTarget('vm-media', '192.168.0.22', undefined, 'ssh', { HOME: home });
    expect(t).toMatchObject({ address: '127.0.0.1', port: target.port, jump: { port: jump.port, user: 'jumper' } });
    const client = await connectSsh(t);
    try {
      expect(await exec(client)).toBe('hello from the target\n');
      expect(forwarded).toContain(target.port);
    } finally {
      client.end();
    }
  });

  it('refuses the host behind the jump when known_hosts lists another key for it', async () => {
    knownHosts(hostKey().public);
    const t = resolveTarget('vm-media', '192.168.0.22', undefined, 'ssh', { HOME: home });
    await expect(connectSsh(t)).rejects.toMatchObject({ code: 'host-key-mismatch', message: expect.stringContaining('known_hosts does not list') });
  });
});
