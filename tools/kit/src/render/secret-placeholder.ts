import type { SecretRef } from '../model/secret.js';

/**
 * A file that must hold a secret's value (a config format with no "read it from a file" option,
 * e.g. AdGuard Home's bcrypt hashes) holds this placeholder instead. The artifact lists the
 * secret in `install.secrets`; deploy fills the value in on the way to the host.
 */
export function secretPlaceholder(ref: SecretRef): string {
  return `@@homelab-secret:${ref.name}@@`;
}

const PLACEHOLDER = /@@homelab-secret:([a-z0-9][a-z0-9_.-]*)@@/g;

/** The secret names whose placeholders a text holds, sorted, each once. */
export function secretPlaceholdersIn(content: string): string[] {
  return [...new Set([...content.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/**
 * Replaces every placeholder with its secret's value (trailing newlines trimmed, as secret files
 * usually end with one). A missing value throws: a half-filled file must never reach a host.
 */
export function fillSecretPlaceholders(content: string, values: Readonly<Record<string, string>>): string {
  return content.replace(PLACEHOLDER, (_all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for secret "${name}", which this file needs`);
    return value.replace(/\n+$/, '');
  });
}
