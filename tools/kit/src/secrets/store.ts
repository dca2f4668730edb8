import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The encrypted secret store: one age-encrypted (armored) file per secret,
 *   secrets/<host>/<name>.age   for one host, else
 *   secrets/<name>.age          for every host that references <name>,
 * encrypted to the recipients in secrets/recipients.txt. HOMELAB_SECRETS_DIR points elsewhere.
 */
export function secretsDir(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.HOMELAB_SECRETS_DIR || join(root, 'secrets');
}

export function recipientsFile(dir: string): string {
  return join(dir, 'recipients.txt');
}

/** The encrypted file of a secret for a host, or undefined when the store has none. */
export function secretFile(dir: string, host: string, name: string): string | undefined {
  return [join(dir, host, `${name}.age`), join(dir, `${name}.age`)].find((f) => existsSync(f));
}

/**
 * A fingerprint of the encrypted file (never of the value): a release changes when a secret is
 * re-encrypted, and nothing about the value can be learned from it.
 */
export function secretFingerprint(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
}

/** `# comment` and blank lines skipped. */
export function keyLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** `$XDG_CONFIG_HOME`, or `~/.config` where it is unset (the XDG Base Directory default). */
function configHome(env: NodeJS.ProcessEnv): string {
  return env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
}

/**
 * Where the age identity (AGE-SECRET-KEY-1...) comes from, in order: HOMELAB_AGE_IDENTITY (the
 * key itself, e.g. a CI secret); HOMELAB_AGE_IDENTITY_FILE; then where age and SOPS users keep
 * theirs: SOPS_AGE_KEY_FILE, and `$XDG_CONFIG_HOME/sops/age/keys.txt` when it exists (SOPS'
 * default, getsops.io docs, "Encrypting using age"); else the project's own
 * `$XDG_CONFIG_HOME/homelab/age-identity.txt`, which `homelab secret keygen` writes.
 */
export function identitySource(env: NodeJS.ProcessEnv = process.env): { kind: 'env' | 'file'; where: string } {
  if (env.HOMELAB_AGE_IDENTITY) return { kind: 'env', where: 'HOMELAB_AGE_IDENTITY' };
  if (env.HOMELAB_AGE_IDENTITY_FILE) return { kind: 'file', where: env.HOMELAB_AGE_IDENTITY_FILE };
  if (env.SOPS_AGE_KEY_FILE) return { kind: 'file', where: env.SOPS_AGE_KEY_FILE };
  const sops = join(configHome(env), 'sops', 'age', 'keys.txt');
  if (existsSync(sops)) return { kind: 'file', where: sops };
  return { kind: 'file', where: join(configHome(env), 'homelab', 'age-identity.txt') };
}
