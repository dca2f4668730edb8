/**
 * A deploy that cannot go on: a stable code and a message that says what happened and what to do.
 * The CLI prints it without a stack trace and exits 1.
 */
export class DeployError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function isDeployError(e: unknown): e is DeployError {
  return e instanceof DeployError;
}

/** The message of anything thrown, for a report line. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
