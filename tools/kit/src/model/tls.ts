import type { Lab } from './lab.js';

/** The proxy's secrets holding the certificate the internal CA issues for every route name, and its key. */
export const TLS_SECRETS = { cert: 'traefik-tls-cert', key: 'traefik-tls-key' } as const;

/** How the proxy gets its certificate: the lab's internal CA (the default) or ACME DNS-01. */
export function tlsMode(lab: Lab): 'internal-ca' | 'acme-dns01' {
  return lab.facts.tls?.mode ?? 'internal-ca';
}

/** Where the ACME resolver keeps its account and certificates: a writable folder the proxy mounts. */
export const ACME_STORAGE = '/etc/traefik/acme/acme.json';
export const ACME_DIR = ACME_STORAGE.slice(0, ACME_STORAGE.lastIndexOf('/'));
