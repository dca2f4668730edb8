import { unverifiedFactsReason, type HostDef } from '@homelab/kit/internal';

/** The environment variable that marks a twin run unverified (as `pnpm twin --unverified-facts` does). */
export const UNVERIFIED_FACTS_ENV = 'HOMELAB_TWIN_UNVERIFIED_FACTS';

/**
 * The VM services (of `hosts`, or every VM) whose stand-ins would be built from image facts not
 * verified at their image's pinned digest, each as `host/service: why`. Throws, refusing the run,
 * when there are any and the run is not marked unverified: a stand-in built from a fact nobody
 * checked against the image agrees with the model by construction (docs/images.md).
 */
export function unverifiedStandins(all: readonly HostDef[], hosts: readonly string[] | undefined, allowed: boolean): string[] {
  const unverified = all
    .filter((h) => h.kind === 'vm' && (!hosts || hosts.includes(h.name)))
    .flatMap((h) => h.services.flatMap((s) => {
      const why = unverifiedFactsReason(s);
      return why ? [`${h.name}/${s.name}: ${why}`] : [];
    }));
  if (unverified.length > 0 && !allowed) {
    throw new Error(`twin: refusing to build stand-ins from image facts not verified at their image's pinned digest (${unverified.length} services; ${unverified[0]}). Run homelab images verify --update where the registries are reachable and pin the digests, or mark this run unverified (pnpm twin --unverified-facts, or ${UNVERIFIED_FACTS_ENV}=1).`);
  }
  return unverified;
}
