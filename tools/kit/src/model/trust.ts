import type { Lab } from './lab.js';
import { routeDomain, routeNames } from './routes.js';
import type { ServiceDef } from './service.js';
import { tlsMode } from './tls.js';

/** The internal CA's certificate file beside the secret store: public, committed (`homelab secret ca-init`). */
export const CA_CERT_FILE = 'ca.crt';

/** The internal CA's private key: a secret of the store (`secrets/lab-ca-key.age`), encrypted to its owner alone. */
export const CA_KEY_SECRET = 'lab-ca-key';

/**
 * The only DNS subtrees the internal CA may sign names in (its name constraints): the lab's
 * domain and its routes' second domain, every name the proxy's certificate carries. A household
 * device that trusts the CA then trusts it for the lab alone: its key in the wrong hands mints no
 * certificate a client accepts for a bank, or for an address (RFC 5280, 4.2.1.10).
 */
export function caPermittedDomains(lab: Lab): string[] {
  return [...new Set([lab.facts.domain, routeDomain(lab)])].sort();
}

/** Docker's per-registry CA folder: `<dir>/<host[:port]>/ca.crt` (docs.docker.com/engine/security/certificates/). */
export const DOCKER_CERTS_DIR = '/etc/docker/certs.d';

/** Where Debian (and Alpine, and distroless) keep the CA bundle OpenSSL, curl and Go read. */
export const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * The CA certificate (PEM) every machine of the lab must trust: the internal CA's public
 * certificate (`secrets/ca.crt`, which `homelab secret ca-init` writes and the loader reads), or
 * none with ACME (a public CA the systems already trust).
 */
export function labCaCertificate(lab: Lab): string | undefined {
  return tlsMode(lab) === 'internal-ca' ? lab.caCertificate : undefined;
}

/** Every name the lab's image registries answer to through the proxy (their routes' names), sorted. */
export function registryNames(lab: Lab): string[] {
  const names = new Set<string>();
  for (const host of lab.hosts) for (const s of host.services) if (s.role === 'image-registry' && s.route) for (const n of routeNames(lab, s.route)) names.add(n);
  return [...names].sort();
}

/** The names a service calls over HTTPS (`callsOverHttps`): every name of each route it names. */
export function httpsCallNames(lab: Lab, service: ServiceDef): string[] {
  return (service.callsOverHttps ?? []).flatMap((host) => routeNames(lab, { host }));
}
