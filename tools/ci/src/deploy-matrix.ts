/**
 * Which hosts deploy on a push to main, each against its own base: the last commit deployed to
 * it successfully (the tag deployed/<host>), so a host whose deploy failed stays behind its tag
 * and is deployed again on the next push, whatever that push changes.
 */

export interface DeployJob {
  readonly host: string;
  /** The commit last deployed to the host; null when none is recorded (the host deploys). */
  readonly base: string | null;
}

export interface DeployMatrixInput {
  /** Every host of the lab, in deploy order (the Proxmox host's storage and DNS first). */
  readonly order: readonly string[];
  /** The commit each host last deployed, where one is recorded. */
  readonly deployed: ReadonlyMap<string, string>;
  /** The hosts whose rendered files differ between `base` and now; null when the base cannot be compared. */
  readonly changedSince: (base: string) => ReadonlySet<string> | null;
}

/** The deploy jobs, in deploy order; one comparison per distinct base commit. */
export function deployMatrix(input: DeployMatrixInput): DeployJob[] {
  const cache = new Map<string, ReadonlySet<string> | null>();
  const jobs: DeployJob[] = [];
  for (const host of input.order) {
    const base = input.deployed.get(host) ?? null;
    if (base === null) {
      jobs.push({ host, base });
      continue;
    }
    if (!cache.has(base)) cache.set(base, input.changedSince(base));
    const changed = cache.get(base);
    // A base that no longer compares (history rewritten) cannot vouch for the host: deploy it.
    if (changed == null || changed.has(host)) jobs.push({ host, base });
  }
  return jobs;
}

/** The tag that records a host's last successful deploy. */
export function deployedTag(host: string): string {
  return `deployed/${host}`;
}
