/**
 * A probe: one declared edge of the lab checked at runtime in the twin. Every probe is a line
 * of the report; a probe never passes by being skipped: what cannot run here is a `stand-in`
 * note on a probe that tests the nearest real thing, and the report says so.
 */
export type ProbeKind =
  | 'container'
  | 'secret'
  | 'volume'
  | 'route'
  | 'tls'
  | 'dns'
  | 'scrape'
  | 'share'
  | 'firewall'
  | 'storage'
  | 'redeploy'
  | 'operate'
  | 'reboot'
  | 'deploy';

export interface ProbeResult {
  readonly host: string;
  readonly kind: ProbeKind;
  /** What was checked, in words: "sonarr is healthy", "vaultwarden reads /run/secrets/admin_token as 1000". */
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed, or what stood in for a real tool. */
  readonly detail?: string;
  /** How long the check took, wall time (a probe made by `check`). */
  readonly ms?: number;
}

export interface TwinReport {
  readonly probes: readonly ProbeResult[];
  /** What in this run is real and what is a stand-in, per kind of probe. */
  readonly notes: readonly string[];
  /** Every pct/qm/pveam/pvesm call deploy made on the Proxmox node, in order. */
  readonly proxmoxCalls: readonly string[];
  readonly seconds: number;
  /**
   * The services whose stand-ins were built from image facts not verified at their image's pinned
   * digest, each with why: a run with any is an unverified run, and its report says so first.
   */
  readonly unverifiedFacts?: readonly string[];
}

/** Collects probe results as they are made. */
export class ProbeLog {
  readonly results: ProbeResult[] = [];

  add(result: ProbeResult): ProbeResult {
    this.results.push(result);
    return result;
  }

  /**
   * Runs groups of probes side by side, at most `limit` at once, each into a log of its own, then
   * adds their results in the groups' order (through `add`): the report reads the same however the
   * groups interleaved. Each probe is independent of the others (its own docker exec or connection).
   */
  async inParallel(groups: readonly ((log: ProbeLog) => Promise<unknown>)[], limit = Number.POSITIVE_INFINITY): Promise<void> {
    const logs = groups.map(() => new ProbeLog());
    const errors: unknown[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < groups.length; i = next++) {
        try {
          await groups[i]!(logs[i]!);
        } catch (e) {
          errors.push(e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, groups.length) }, worker));
    for (const l of logs) for (const r of l.results) this.add(r);
    if (errors.length > 0) throw errors[0];
  }

  /** Runs a check, turning a throw into a failed probe (its message as the detail). */
  async check(host: string, kind: ProbeKind, name: string, fn: () => Promise<string | void> | string | void): Promise<ProbeResult> {
    const started = Date.now();
    try {
      const detail = await fn();
      return this.add({ host, kind, name, ok: true, ...(detail ? { detail } : {}), ms: Date.now() - started });
    } catch (e) {
      return this.add({ host, kind, name, ok: false, detail: e instanceof Error ? e.message : String(e), ms: Date.now() - started });
    }
  }
}

/** A failed check inside a probe: its message is the probe's detail. */
export function fail(message: string): never {
  throw new Error(message);
}
