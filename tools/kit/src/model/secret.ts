/** A secret by reference: the value lives encrypted in the repository and reaches the host only at deploy. */
export interface SecretRef {
  readonly kind: 'secret';
  readonly name: string;
}

const SECRET_NAME = /^[a-z0-9][a-z0-9_.-]*$/;

export function secret(name: string): SecretRef {
  return { kind: 'secret', name };
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
