/** A secret by reference: the value lives encrypted in the repository and reaches the host only at deploy. */
export interface SecretRef {
  readonly kind: 'secret';
  readonly name: string;
  /**
   * How an environment value names the secret's file: its path (default), or a `file://` URL
   * for images that read `file:///run/secrets/<name>` (authentik's `AUTHENTIK_*` settings).
   */
  readonly form?: 'path' | 'file-url';
  /**
   * A secret read by non-root services of different uids: its file is `root:<group>` 0440 and
   * every such reader must run with this gid (docs/adding-a-service.md, `secret-readers-differ`).
   */
  readonly group?: number;
}

const SECRET_NAME = /^[a-z0-9][a-z0-9_.-]*$/;

export function secret(name: string): SecretRef {
  return { kind: 'secret', name };
}

/** A secret shared by services running as different users: readable by the group `group` they all run with. */
export function sharedSecret(name: string, options: { readonly group: number }): SecretRef {
  return { kind: 'secret', name, group: options.group };
}

/** A secret an environment value names as `file:///run/secrets/<name>`. */
export function secretFileUrl(name: string): SecretRef {
  return { kind: 'secret', name, form: 'file-url' };
}

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && (value as SecretRef).kind === 'secret';
}

export function isValidSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Where compose mounts a secret inside the container. */
export function secretMountPath(ref: SecretRef): string {
  return `/run/secrets/${ref.name}`;
}

/** What an environment value holds for a secret: its file's path, or that path as a `file://` URL. */
export function secretEnvValue(ref: SecretRef): string {
  return ref.form === 'file-url' ? `file://${secretMountPath(ref)}` : secretMountPath(ref);
}
