import { serviceSecrets } from './service-facts.js';
import { formatUidGid, parseUidGid, type UidGid } from './image-facts.js';
import type { ServiceDef } from './service.js';

/**
 * Who opens a service's secret files: its own `user` if it sets one (nothing can drop privileges
 * then), else the image's `secretsReadAs`, else the user the image starts as. Undefined when that
 * is not a numeric `uid:gid` (a user name, or no image facts): the owner cannot be known.
 */
export function secretReader(service: ServiceDef): UidGid | undefined {
  if (service.user !== undefined) return parseUidGid(service.user);
  const facts = service.imageFacts;
  return facts ? parseUidGid(facts.secretsReadAs ?? facts.user) : undefined;
}

/** How deploy writes one compose secret file on the host (a bind mount keeps owner and mode). */
export interface SecretFileOwner {
  readonly uid: number;
  readonly gid: number;
  /** 0400 for one reader; 0440 for a declared group shared by readers of different uids. */
  readonly mode: '0400' | '0440';
}

export interface SecretReaders {
  readonly name: string;
  /** Each service that receives the secret, with the uid:gid that opens it (undefined: unknown). */
  readonly readers: readonly { readonly service: ServiceDef; readonly as: UidGid | undefined }[];
  /** The group the secret is declared shared by (`secret(name, { group })`), if any. */
  readonly group?: number;
}

/** Every secret of a stack with the services that read it and as whom. */
export function secretReaders(services: readonly ServiceDef[]): SecretReaders[] {
  const byName = new Map<string, { readers: SecretReaders['readers'][number][]; group?: number }>();
  for (const service of services) {
    for (const ref of serviceSecrets(service)) {
      const entry = byName.get(ref.name) ?? { readers: [] };
      entry.readers.push({ service, as: secretReader(service) });
      if (ref.group !== undefined) entry.group = ref.group;
      byName.set(ref.name, entry);
    }
  }
  return [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, e]) => ({ name, readers: e.readers, ...(e.group !== undefined ? { group: e.group } : {}) }));
}

/**
 * The readers that need the file's permissions: root in a container reads any file (Docker's
 * default capabilities include CAP_DAC_OVERRIDE), so only non-root readers count.
 */
export function permissionReaders(secret: SecretReaders): UidGid[] {
  const seen = new Map<string, UidGid>();
  for (const r of secret.readers) if (r.as && r.as.uid !== 0) seen.set(formatUidGid(r.as), r.as);
  return [...seen.values()];
}

/**
 * The owner and mode of a secret file: the one non-root reader's uid:gid, 0400; root:<group>
 * 0440 for a declared shared group; root 0400 when only root reads it. Readers of different uids
 * without a declared group (a finding, `secret-readers-differ`) get root 0400: only root reads it.
 */
export function secretFileOwner(secret: SecretReaders): SecretFileOwner {
  if (secret.group !== undefined) return { uid: 0, gid: secret.group, mode: '0440' };
  const readers = permissionReaders(secret);
  const only = readers.length === 1 ? readers[0]! : { uid: 0, gid: 0 };
  return { uid: only.uid, gid: only.gid, mode: '0400' };
}

/** The owner of every compose secret file of a stack, by secret name. */
export function secretFileOwners(services: readonly ServiceDef[]): Map<string, SecretFileOwner> {
  return new Map(secretReaders(services).map((s) => [s.name, secretFileOwner(s)]));
}
