/**
 * Which hosts deploy on a push to main, each against its own base: the last commit deployed to
 * it successfully (the tag deployed/<host>), so a host whose deploy failed stays behind its tag
 * and is deployed again on the next push, whatever that push changes.
 */

export interface DeployJob {
  readonly host: string;
  /** Its deploy rank: the workflow deploys rank by rank, each after the one before succeeded. */
  readonly tier: number;
  /** The commit last deployed to the host; null when none is recorded (the host deploys). */
  readonly base: string | null;
}

export interface DeployMatrixInput {
  /** Every host of the lab, in deploy order (the Proxmox host's storage and DNS first), with its deploy rank. */
  readonly order: readonly { readonly host: string; readonly tier: number }[];
  /** The commit each host last deployed, where one is recorded. */
  readonly deployed: ReadonlyMap<string, string>;
  /** The hosts whose rendered files differ between `base` and now; null when the base cannot be compared. */
  readonly changedSince: (base: string) => ReadonlySet<string> | null;
}

/** The deploy jobs, in deploy order; one comparison per distinct base commit. */
export function deployMatrix(input: DeployMatrixInput): DeployJob[] {
  const cache = new Map<string, ReadonlySet<string> | null>();
  const jobs: DeployJob[] = [];
  for (const { host, tier } of input.order) {
    const base = input.deployed.get(host) ?? null;
    if (base === null) {
      jobs.push({ host, tier, base });
      continue;
    }
    if (!cache.has(base)) cache.set(base, input.changedSince(base));
    const changed = cache.get(base);
    // A base that no longer compares (history rewritten) cannot vouch for the host: deploy it.
    if (changed == null || changed.has(host)) jobs.push({ host, tier, base });
  }
  return jobs;
}

/** deploy.yml's rank jobs, deploy-0 to deploy-4: one per deploy rank of the kit (DEPLOY_TIERS; a test holds them equal). */
export const DEPLOY_JOBS = 5;

/**
 * The jobs of each deploy rank, 0 to `tiers - 1`, as the workflow's outputs `tier<k>=<JSON>`: one
 * matrix job per rank, each with `needs:` on the one before. GitHub starts a matrix's jobs in no
 * promised order (max-parallel 1 does not order them), so the order lives in the jobs' needs.
 */
export function deployTierOutputs(jobs: readonly DeployJob[], tiers: number): string[] {
  const out = jobs.filter((j) => j.tier < 0 || j.tier >= tiers);
  if (out.length > 0) throw new Error(`deploy ranks run 0 to ${tiers - 1}; ${out.map((j) => `${j.host} has ${j.tier}`).join(', ')}: add a job to deploy.yml`);
  return Array.from({ length: tiers }, (_, k) => `tier${k}=${JSON.stringify(jobs.filter((j) => j.tier === k))}`);
}

/** The tag that records a host's last successful deploy. */
export function deployedTag(host: string): string {
  return `deployed/${host}`;
}
