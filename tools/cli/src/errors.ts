import { didYouMean } from '@homelab/kit';

/** A mistake in how the command was called (exit 2), as opposed to a finding in the lab (exit 1). */
export class UsageError extends Error {}

/** A host name the lab does not have: the closest one it does, and the whole list. */
export function noSuchHost(name: string, known: readonly string[]): UsageError {
  return new UsageError(`no host named "${name}".${didYouMean(name, known)} The lab has: ${known.join(', ')}`);
}
