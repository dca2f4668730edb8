/** A mistake in how the command was called (exit 2), as opposed to a finding in the lab (exit 1). */
export class UsageError extends Error {}
