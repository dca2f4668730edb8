import { readFileSync } from 'node:fs';
import type { Client, ConnectConfig } from 'ssh2';
import { createRequire } from 'node:module';
import { DeployError, messageOf } from '../../common/errors.js';
import { fingerprint, sameFingerprint } from './host-key.js';
import type { ResolvedTarget } from './target.js';
import { envPrefix, ENV_SUFFIXES } from './target.js';

const require = createRequire(import.meta.url);

export interface SshOptions {
  /** Give up connecting after this long; default 10 s. */
  readonly readyTimeoutMs?: number;
}

function keyscanHint(t: ResolvedTarget): string {
  return `ssh-keyscan -t ed25519 -p ${t.port} ${t.address} | ssh-keygen -lf -`;
}

function privateKey(t: ResolvedTarget): Buffer | undefined {
  if (t.keyText) return Buffer.from(t.keyText.endsWith('\n') ? t.keyText : `${t.keyText}\n`);
  if (!t.keyFile) return undefined;
  try {
    return readFileSync(t.keyFile);
  } catch (e) {
    throw new DeployError('ssh-key-unreadable', `cannot read the SSH private key ${t.keyFile} for ${t.name}: ${messageOf(e)}. Point ${envPrefix(t.name)}${ENV_SUFFIXES.key} (or HOMELAB_DEPLOY_KEY, or --key) at your deploy key.`);
  }
}

/**
 * Opens an SSH connection with key authentication only, after checking the host key against the
 * pinned fingerprint: a host without a pinned key, or with another key, is refused during the key
 * exchange, before authentication or any command.
 */
/**
 * HOMELAB_DEPLOY_ALLOWED_ADDRESSES (comma-separated), when set, is the only set of addresses
 * deploy may connect to: the test tiers set it to 127.0.0.1 so that no test can reach the lab's
 * real hosts, whatever a model or a missing override says.
 */
export function checkAllowedAddress(t: ResolvedTarget, env: NodeJS.ProcessEnv = process.env): void {
  const allowed = env.HOMELAB_DEPLOY_ALLOWED_ADDRESSES?.split(',').map((a) => a.trim()).filter(Boolean);
  if (allowed && !allowed.includes(t.address)) {
    throw new DeployError('target-not-allowed', `refusing to connect to ${t.name} at ${t.address}: HOMELAB_DEPLOY_ALLOWED_ADDRESSES allows only ${allowed.join(', ')}. Point it elsewhere with ${envPrefix(t.name)}${ENV_SUFFIXES.address}.`);
  }
}

/**
 * Trusts the offered key when it is the pinned one; with no pin, when known_hosts lists it (and
 * has not revoked it). A pin always wins: known_hosts cannot vouch for a key the pin contradicts.
 */
export function hostKeyTrusted(t: ResolvedTarget, offered: string): boolean {
  if (t.hostKey !== undefined) return sameFingerprint(offered, t.hostKey);
  if (!t.known || t.known.revoked.some((k) => sameFingerprint(k, offered))) return false;
  return t.known.keys.some((k) => sameFingerprint(k, offered));
}

/** A channel to t.address:t.port through its ProxyJump host (itself connected with connectSsh). */
async function throughJump(t: ResolvedTarget, jump: ResolvedTarget, options: SshOptions): Promise<{ sock: NonNullable<ConnectConfig['sock']>; jumpClient: Client }> {
  const jumpClient = await connectSsh(jump, options);
  return new Promise((resolve, reject) => {
    jumpClient.forwardOut('127.0.0.1', 0, t.address, t.port, (err, stream) => {
      if (!err) return resolve({ sock: stream, jumpClient });
      jumpClient.end();
      reject(new DeployError('ssh-jump-failed', `${jump.name} (${jump.address}:${jump.port}) would not open a channel to ${t.name} at ${t.address}:${t.port}: ${err.message}.`));
    });
  });
}

export async function connectSsh(t: ResolvedTarget, options: SshOptions = {}): Promise<Client> {
  checkAllowedAddress(t);
  if (!t.jump) return connectDirect(t, options);
  const { sock, jumpClient } = await throughJump(t, t.jump, options);
  try {
    const client = await connectDirect(t, options, sock);
    client.once('close', () => jumpClient.end());
    return client;
  } catch (e) {
    jumpClient.end();
    throw e;
  }
}

function connectDirect(t: ResolvedTarget, options: SshOptions, sock?: ConnectConfig['sock']): Promise<Client> {
  const { Client: SshClient } = require('ssh2') as typeof import('ssh2');
  const key = privateKey(t);
  const agent = t.agent;
  if (!key && !agent) {
    return Promise.reject(new DeployError('ssh-key-missing', `no SSH key to deploy ${t.name} with: load one into ssh-agent, set HOMELAB_SSH_KEY to the key itself, or HOMELAB_DEPLOY_KEY (or ${envPrefix(t.name)}${ENV_SUFFIXES.key}, or --key) to the private key file.`));
  }
  let offered: string | undefined;
  const client = new SshClient();
  const config: ConnectConfig = {
    host: t.address,
    port: t.port,
    ...(sock ? { sock } : {}),
    username: t.user,
    ...(key ? { privateKey: key } : {}),
    ...(agent ? { agent } : {}),
    tryKeyboard: false,
    readyTimeout: options.readyTimeoutMs ?? 10_000,
    keepaliveInterval: 5_000,
    keepaliveCountMax: 3,
    hostVerifier: (blob: Buffer) => {
      offered = fingerprint(blob);
      return hostKeyTrusted(t, offered);
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    client.once('ready', () => {
      settled = true;
      // Each step is a small script and its answer: send at once rather than batch (Nagle).
      client.setNoDelay(true);
      resolve(client);
    });
    client.once('error', (e: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(connectError(t, e, offered));
    });
    client.once('close', () => {
      if (settled) return;
      settled = true;
      reject(new DeployError('ssh-closed', `${t.name} (${t.address}:${t.port}) closed the connection during the SSH handshake.`));
    });
    try {
      client.connect(config);
    } catch (e) {
      settled = true;
      const from = t.keyFile ?? (t.keyText ? 'HOMELAB_SSH_KEY' : 'the key');
      reject(new DeployError('ssh-key-invalid', `cannot use the SSH private key ${from} for ${t.name}: ${messageOf(e)}. Give an OpenSSH or PEM private key without a passphrase, or load the key into ssh-agent.`));
    }
  });
}

function connectError(t: ResolvedTarget, e: Error & { level?: string; code?: string }, offered: string | undefined): DeployError {
  const at = `${t.address}:${t.port}`;
  if (offered !== undefined && !hostKeyTrusted(t, offered)) {
    if (!t.hostKey && t.known) {
      const revoked = t.known.revoked.some((k) => sameFingerprint(k, offered));
      return new DeployError(
        'host-key-mismatch',
        `refusing to deploy to ${t.name} (${at}): it offers host key ${offered}, which ${t.known.file} ${revoked ? 'marks @revoked' : `does not list (it lists ${t.known.keys.join(', ')})`}. Nothing was sent. If the host was reinstalled, check the new key out of band (${keyscanHint(t)}), then fix known_hosts or pin it as deploy.hostKey.`,
      );
    }
    if (!t.hostKey) {
      return new DeployError(
        'host-key-not-pinned',
        `refusing to deploy to ${t.name} (${at}): no host key is pinned. It offers ${offered}. Check that fingerprint out of band (on its console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub, or ${keyscanHint(t)} on a network you trust), then pin it as deploy.hostKey in the model or with ${envPrefix(t.name)}${ENV_SUFFIXES.hostKey}.`,
      );
    }
    return new DeployError(
      'host-key-mismatch',
      `refusing to deploy to ${t.name} (${at}): it offers host key ${offered}, but ${t.hostKeyFrom} pins ${t.hostKey}. Nothing was sent. If the host was reinstalled, check the new key out of band (${keyscanHint(t)}) and update the pin; otherwise something else answers at ${at}.`,
    );
  }
  if (e.level === 'client-authentication') {
    return new DeployError('ssh-auth-failed', `${t.name} (${at}) refused the key of user ${t.user}${t.keyFile ? ` (${t.keyFile})` : t.keyText ? ' (HOMELAB_SSH_KEY)' : ' (ssh-agent)'}: add its public key to ~${t.user}/.ssh/authorized_keys there. Passwords are never tried.`);
  }
  if (e.level === 'client-timeout') return new DeployError('ssh-timeout', `no SSH answer from ${t.name} at ${at} within the timeout; is it up, and is the address right?`);
  if (e.code === 'ECONNREFUSED') return new DeployError('ssh-refused', `${t.name} refused the connection at ${at}: is sshd running on port ${t.port}?`);
  if (e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH' || e.code === 'ETIMEDOUT' || e.code === 'ENOTFOUND') {
    return new DeployError('ssh-unreachable', `cannot reach ${t.name} at ${at} (${e.code}).`);
  }
  return new DeployError('ssh-failed', `SSH to ${t.name} at ${at} failed: ${e.message}`);
}
