import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint } from './host-key.js';
import { homeOf } from './ssh-config.js';

/** The host keys known_hosts lists for one address and port, as fingerprints, and the revoked ones. */
export interface KnownKeys {
  readonly file: string;
  readonly keys: readonly string[];
  readonly revoked: readonly string[];
}

/** How known_hosts names a host: `address`, or `[address]:port` off port 22. */
function hostToken(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

function matches(pattern: string, token: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64') === hash;
  }
  return pattern === token;
}

/**
 * ~/.ssh/known_hosts (or HOMELAB_SSH_KNOWN_HOSTS; "none" reads no file): the keys it lists for
 * one of `addresses` at `port`, plain or hashed. `@cert-authority` lines are not used.
 */
export function knownHostKeys(addresses: readonly string[], port: number, env: NodeJS.ProcessEnv = process.env): KnownKeys | undefined {
  const set = env.HOMELAB_SSH_KNOWN_HOSTS;
  if (set === 'none') return undefined;
  const file = set || join(homeOf(env), '.ssh', 'known_hosts');
  if (!existsSync(file)) return undefined;
  const tokens = addresses.map((a) => hostToken(a, port));
  const keys: string[] = [];
  const revoked: string[] = [];
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]!.startsWith('@') ? fields.shift() : undefined;
    if (marker === '@cert-authority' || fields.length < 3) continue;
    const patterns = fields[0]!.split(',');
    if (patterns.some((p) => p.startsWith('!') && tokens.includes(p.slice(1)))) continue;
    if (!patterns.some((p) => tokens.some((t) => matches(p, t)))) continue;
    const key = fingerprint(Buffer.from(fields[2]!, 'base64'));
    (marker === '@revoked' ? revoked : keys).push(key);
  }
  return keys.length > 0 || revoked.length > 0 ? { file, keys, revoked } : undefined;
}
