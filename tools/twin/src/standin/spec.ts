import { healthcheckUrls, type Lab, type ServiceDef } from '@homelab/kit/internal';

/** One listening socket of a stand-in. */
export interface StandinListen {
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
}

/**
 * What a stand-in image must honour, from the image's facts and the services that run it: one
 * per distinct image reference of the lab, tagged with exactly that reference.
 */
export interface StandinService {
  readonly image: string;
  /** uid:gid the image starts as (imageFacts.user); compose's `user` overrides it at run time. */
  readonly user: string;
  /** uid:gid the image's code opens its secret files as, when it starts as root and drops to it. */
  readonly secretsReadAs?: string;
  /** Commands the image ships (imageFacts.ships): only these are put in it. */
  readonly ships: readonly string[];
  /** Every port a service running this image listens on. */
  readonly listen: readonly StandinListen[];
  /** Paths answered 200 on every TCP port: healthcheck URLs, metrics, what the shims ask, `/`. */
  readonly httpPaths: readonly string[];
  readonly metricsPath?: string;
  /**
   * The port of the embedded outpost (the lab's `auth` service's first listen port, where
   * Traefik's forward auth asks): it answers as authentik's outpost does from the mounted
   * blueprints (outpost.ts).
   */
  readonly outpostPort?: number;
  /**
   * The port of the lab's start page (the `start-page` service's first listen port): it answers
   * as Homepage does from the mounted configuration (homepage.ts).
   */
  readonly startPagePort?: number;
}

/** The lab's services grouped by image reference, sorted by it. */
function byImage(lab: Pick<Lab, 'hosts'>): Map<string, ServiceDef[]> {
  const out = new Map<string, ServiceDef[]>();
  for (const host of lab.hosts) for (const s of host.services) out.set(s.image, [...(out.get(s.image) ?? []), s]);
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

/** A listen port is UDP when the service publishes it over UDP only (Jellyfin's discovery on 7359). */
function listenOf(service: ServiceDef): StandinListen[] {
  return (service.listen ?? []).map((port) => {
    const published = (service.ports ?? []).filter((p) => String(p.target) === String(port));
    const udpOnly = published.length > 0 && published.every((p) => p.protocol === 'udp');
    return { port, protocol: udpOnly ? 'udp' : 'tcp' };
  });
}

/**
 * The stand-in of every image of the lab (or of some hosts: `{ hosts: [host] }`). Services of one
 * image with different facts take the first's (one image's facts live in one place:
 * packages/shared/src/images.ts).
 */
export function standinServices(lab: Pick<Lab, 'hosts'>, extraPaths: readonly string[] = []): StandinService[] {
  const out: StandinService[] = [];
  for (const [image, services] of byImage(lab)) {
    const facts = services.find((s) => s.imageFacts)?.imageFacts;
    if (!facts) throw new Error(`twin: ${image} has no imageFacts (homelab validate reports image-facts-missing)`);
    const listen = new Map<string, StandinListen>();
    for (const s of services) for (const l of listenOf(s)) listen.set(`${l.port}/${l.protocol}`, l);
    const paths = new Set<string>(['/', ...extraPaths]);
    let metricsPath: string | undefined;
    const auth = services.find((s) => s.role === 'auth' && s.listen?.length);
    const startPage = services.find((s) => s.role === 'start-page' && s.listen?.length);
    for (const s of services) {
      for (const u of s.healthcheck ? healthcheckUrls(s.healthcheck) : []) paths.add(u.path);
      if (s.metrics) paths.add((metricsPath = s.metrics.path ?? '/metrics'));
    }
    out.push({
      image,
      user: facts.user,
      ...(facts.secretsReadAs ? { secretsReadAs: facts.secretsReadAs } : {}),
      ships: [...facts.ships],
      listen: [...listen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol)),
      httpPaths: [...paths].sort(),
      ...(metricsPath ? { metricsPath } : {}),
      ...(auth ? { outpostPort: auth.listen![0]! } : {}),
      ...(startPage ? { startPagePort: startPage.listen![0]! } : {}),
    });
  }
  return out;
}
