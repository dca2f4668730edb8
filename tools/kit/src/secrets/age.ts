import { existsSync, readFileSync } from 'node:fs';
import { DeployError, messageOf } from '../common/errors.js';
import { identitySource, keyLines } from './store.js';

type AgeModule = typeof import('age-encryption');
let ageModule: Promise<AgeModule> | undefined;
/** Loaded on first use: only a deploy that writes secrets pays for it. */
function age(): Promise<AgeModule> {
  ageModule ??= import('age-encryption');
  return ageModule;
}

/** The identities that can decrypt the store, from HOMELAB_AGE_IDENTITY or the identity file. */
export function loadIdentities(env: NodeJS.ProcessEnv = process.env): string[] {
  const source = identitySource(env);
  let text: string;
  if (source.kind === 'env') text = env.HOMELAB_AGE_IDENTITY ?? '';
  else if (existsSync(source.where)) text = readFileSync(source.where, 'utf8');
  else {
    throw new DeployError('age-identity-missing', `no age identity to decrypt secrets with: create one with \`homelab secret keygen\` (writes ${source.where}), or set HOMELAB_AGE_IDENTITY / HOMELAB_AGE_IDENTITY_FILE.`);
  }
  const ids = keyLines(text).filter((l) => l.startsWith('AGE-SECRET-KEY-'));
  if (ids.length === 0) throw new DeployError('age-identity-missing', `${source.where} holds no AGE-SECRET-KEY- line.`);
  return ids;
}

/** Decrypts one armored secret file in memory. The value goes to the host and nowhere else. */
export async function decryptFile(file: string, identities: readonly string[]): Promise<Uint8Array> {
  const { Decrypter, armor } = await age();
  const d = new Decrypter();
  for (const id of identities) d.addIdentity(id);
  try {
    return await d.decrypt(armor.decode(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new DeployError('secret-decrypt-failed', `cannot decrypt ${file}: ${messageOf(e)}. Is it encrypted to your identity's recipient (secrets/recipients.txt)?`);
  }
}

/** Encrypts a value to the recipients, armored (text a repository diffs and stores well). */
export async function encryptValue(value: Uint8Array | string, recipients: readonly string[]): Promise<string> {
  const { Encrypter, armor } = await age();
  if (recipients.length === 0) throw new DeployError('age-recipients-missing', 'no recipients to encrypt to: add your age1... recipient to secrets/recipients.txt (homelab secret keygen prints it).');
  const e = new Encrypter();
  for (const r of recipients) e.addRecipient(r);
  return armor.encode(await e.encrypt(value));
}

/**
 * How many recipients an armored age file is encrypted to: the stanzas (`-> ...` lines) of its
 * header (age-encryption.org/v1), read without any identity, less the grease stanzas rage adds.
 * Undefined for text that is no armored age file.
 */
export function ageRecipientCount(armored: string): number | undefined {
  const body = armored.replace(/-----(BEGIN|END) AGE ENCRYPTED FILE-----/g, '').replace(/\s+/g, '');
  const bytes = Buffer.from(body, 'base64');
  const end = bytes.indexOf('\n--- ');
  const header = bytes.subarray(0, end < 0 ? 0 : end).toString('latin1');
  if (!header.startsWith('age-encryption.org/v1\n')) return undefined;
  // rage adds a random `-> <tag>-grease` stanza to every header: no recipient.
  return header.split('\n').filter((l) => l.startsWith('-> ') && !/^-> \S*-grease\b/.test(l)).length;
}

/** The recipients of identities (the caller's own: what ca-init encrypts the CA's key to). */
export async function recipientsOf(identities: readonly string[]): Promise<string[]> {
  const { identityToRecipient } = await age();
  return Promise.all(identities.map((i) => identityToRecipient(i)));
}

/** A new identity and its recipient. */
export async function newIdentity(): Promise<{ identity: string; recipient: string }> {
  const { generateX25519Identity, identityToRecipient } = await age();
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}
