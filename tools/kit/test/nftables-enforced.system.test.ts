import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireTool } from '@homelab/testing';
import { nftablesRuleset } from '../src/internal.js';
import { realLab } from './fixtures.js';

// vm-media's ruleset, loaded into network namespaces this test makes (nothing reaches this
// machine's own network): a LAN client, vm-infra and vm-media on a bridge at their lab addresses,
// and inside vm-media a Docker-like bridge with one "container" behind a DNAT for a published
// port, the way Docker publishes Sonarr's 8989 on Gluetun. Generous waits: a dropped connection
// never connects, so the short wait of a refusal cannot turn into a pass on a slow machine.
requireTool('nft');
requireTool('ip');
const WAIT_OPEN_MS = Number(process.env.HOMELAB_TEST_NET_WAIT_MS ?? 30_000);
const WAIT_DROPPED_MS = 3_000;
const id = `hlfw${process.pid % 100000}`;
const ns = { br: `${id}-br`, client: `${id}-client`, admin: `${id}-admin`, infra: `${id}-infra`, media: `${id}-media`, ct: `${id}-ct` };
const dir = mkdtempSync(join(tmpdir(), 'homelab-nft-enforced-'));
const servers: ChildProcess[] = [];

function sh(...argv: string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.stdout}`);
}
const inNs = (name: string, ...argv: string[]) => sh('ip', 'netns', 'exec', name, ...argv);

/** A TCP listener in a namespace that accepts and closes. */
function listen(name: string, port: number): void {
  const code = `require('net').createServer((c) => c.end()).listen(${port}, '0.0.0.0')`;
  servers.push(spawn('ip', ['netns', 'exec', name, process.execPath, '-e', code], { stdio: 'ignore' }));
}

/** Whether a TCP connection from namespace `from` to address:port opens within `waitMs`. */
function connects(from: string, address: string, port: number, waitMs: number): boolean {
  const code = `const s = require('net').connect({ host: '${address}', port: ${port} });
s.setTimeout(${waitMs}, () => process.exit(2));
s.on('connect', () => process.exit(0));
s.on('error', () => process.exit(1));`;
  return spawnSync('ip', ['netns', 'exec', from, process.execPath, '-e', code], { timeout: waitMs + 30_000 }).status === 0;
}

/** Waits until a listener answers from inside its own namespace (not through the firewall). */
function waitUp(name: string, address: string, port: number): void {
  const deadline = Date.now() + WAIT_OPEN_MS;
  while (!connects(name, address, port, 2_000)) {
    if (Date.now() > deadline) throw new Error(`listener ${address}:${port} in ${name} did not come up`);
  }
}

function addNode(name: string, address: string, index: number): void {
  sh('ip', 'netns', 'add', name);
  sh('ip', 'link', 'add', `${id}v${index}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name);
  sh('ip', 'link', 'set', `${id}v${index}`, 'netns', ns.br);
  inNs(ns.br, 'ip', 'link', 'set', `${id}v${index}`, 'master', 'br0', 'up');
  inNs(name, 'ip', 'link', 'set', 'lo', 'up');
  inNs(name, 'ip', 'addr', 'add', `${address}/24`, 'dev', 'eth0');
  inNs(name, 'ip', 'link', 'set', 'eth0', 'up');
}

const MEDIA = '192.168.0.22';
const CT = '10.99.0.2';

beforeAll(() => {
  sh('ip', 'netns', 'add', ns.br);
  inNs(ns.br, 'ip', 'link', 'add', 'br0', 'type', 'bridge');
  inNs(ns.br, 'ip', 'link', 'set', 'br0', 'up');
  addNode(ns.client, '192.168.0.250', 0);
  addNode(ns.infra, '192.168.0.20', 1);
  addNode(ns.media, MEDIA, 2);
  // The plan's CI runner (network.admins): management is open from the admin devices only.
  addNode(ns.admin, '192.168.0.5', 3);
  // Docker's shape inside vm-media: a bridge, a container behind it, a DNAT for the published port.
  sh('ip', 'netns', 'add', ns.ct);
  inNs(ns.media, 'ip', 'link', 'add', 'docker0', 'type', 'bridge');
  inNs(ns.media, 'ip', 'addr', 'add', '10.99.0.1/24', 'dev', 'docker0');
  inNs(ns.media, 'ip', 'link', 'set', 'docker0', 'up');
  sh('ip', 'link', 'add', `${id}c`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.ct);
  sh('ip', 'link', 'set', `${id}c`, 'netns', ns.media);
  inNs(ns.media, 'ip', 'link', 'set', `${id}c`, 'master', 'docker0', 'up');
  inNs(ns.ct, 'ip', 'link', 'set', 'lo', 'up');
  inNs(ns.ct, 'ip', 'addr', 'add', `${CT}/24`, 'dev', 'eth0');
  inNs(ns.ct, 'ip', 'link', 'set', 'eth0', 'up');
  inNs(ns.ct, 'ip', 'route', 'add', 'default', 'via', '10.99.0.1');
  inNs(ns.media, 'sysctl', '-qw', 'net.ipv4.ip_forward=1');
  const nat = join(dir, 'docker-nat.nft');
  writeFileSync(nat, `table ip dockerlike {\n\tchain prerouting {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tip daddr ${MEDIA} tcp dport 8989 dnat to ${CT}:8989\n\t}\n}\n`);
  inNs(ns.media, 'nft', '-f', nat);
  const rules = join(dir, 'vm-media.nft');
  writeFileSync(rules, nftablesRuleset(realLab, 'vm-media'));
  inNs(ns.media, 'nft', '-f', rules);
  listen(ns.media, 22);
  listen(ns.media, 9100);
  listen(ns.media, 8123);
  listen(ns.ct, 8989);
  waitUp(ns.media, '127.0.0.1', 22);
  waitUp(ns.media, '127.0.0.1', 9100);
  waitUp(ns.media, '127.0.0.1', 8123);
  waitUp(ns.ct, '127.0.0.1', 8989);
}, 4 * WAIT_OPEN_MS);

afterAll(() => {
  for (const s of servers) s.kill('SIGKILL');
  for (const name of Object.values(ns).reverse()) {
    const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const pid of pids) spawnSync('kill', ['-9', pid]);
    spawnSync('ip', ['netns', 'del', name]);
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('vm-media\'s nftables ruleset, enforced', () => {
  it('lets the admin device reach SSH, and vm-infra reach the published backend through the DNAT and the exporter', () => {
    expect(connects(ns.admin, MEDIA, 22, WAIT_OPEN_MS)).toBe(true);
    expect(connects(ns.infra, MEDIA, 8989, WAIT_OPEN_MS)).toBe(true);
    expect(connects(ns.infra, MEDIA, 9100, WAIT_OPEN_MS)).toBe(true);
  });

  it('drops the LAN client at SSH, the published backend and the exporter', () => {
    expect(connects(ns.client, MEDIA, 22, WAIT_DROPPED_MS)).toBe(false);
    expect(connects(ns.client, MEDIA, 8989, WAIT_DROPPED_MS)).toBe(false);
    expect(connects(ns.client, MEDIA, 9100, WAIT_DROPPED_MS)).toBe(false);
  });

  it('drops everyone at a port no flow names, and lets the host\'s own containers reach its address', () => {
    expect(connects(ns.infra, MEDIA, 8123, WAIT_DROPPED_MS)).toBe(false);
    expect(connects(ns.ct, MEDIA, 8123, WAIT_OPEN_MS)).toBe(true);
  });
});
