import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintOf, requireTool, run, sshdConfig } from '@homelab/testing';
import type { TwinNode } from './namespaces.js';
import { waitUntil } from './wait.js';

/** A node's sshd on its lab address, port 22, as on the real host. */
export interface NodeSshd {
  readonly host: string;
  readonly address: string;
  /** SHA256:... of its host key: what the deploy pins. */
  readonly hostKey: string;
}

/**
 * Starts sshd inside the node's namespaces on `<address>:22`, with a host key of its own and
 * the twin's deploy key authorized. Root's home is the node's own folder when the node has a
 * mount namespace (its mount setup binds it), so no dotfile of this machine is read.
 */
export async function startNodeSshd(node: TwinNode, authorizedKeys: string): Promise<NodeSshd> {
  const sshd = requireTool('sshd');
  const dir = join(node.dir, 'sshd');
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true });
  if (!existsSync(join(dir, 'host_key'))) {
    const r = run(requireTool('ssh-keygen'), ['-q', '-t', 'ed25519', '-N', '', '-C', `twin-${node.host}`, '-f', join(dir, 'host_key')]);
    if (r.code !== 0) throw new Error(`ssh-keygen for ${node.host}: ${r.stderr}`);
  }
  copyFileSync(authorizedKeys, join(dir, 'authorized_keys'));
  const config = join(dir, 'sshd_config');
  writeFileSync(config, sshdConfig(dir, { address: node.address, port: 22 }));
  const check = run(sshd, ['-t', '-f', config]);
  if (check.code !== 0) throw new Error(`sshd -t for ${node.host}: ${check.stderr}`);
  node.spawn([sshd, '-D', '-e', '-f', config], { log: join(dir, 'sshd.log') });
  await waitUntil(`sshd of ${node.host} on ${node.address}:22`, async () => (await node.exec(['ss', '-Hltn', `sport = :22`])).stdout.includes(':22'));
  return { host: node.host, address: node.address, hostKey: fingerprintOf(join(dir, 'host_key.pub')) };
}
