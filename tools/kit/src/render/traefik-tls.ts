import type { Lab, TlsFacts } from '../model/lab.js';
import { secret } from '../model/secret.js';
import type { EnvValue, VolumeSpec } from '../model/service.js';
import type { DatasetRef } from '../model/zfs.js';
import { ACME_DIR, ACME_STORAGE, TLS_SECRETS, tlsMode } from '../model/tls.js';

/** Where Traefik reads them: the compose secrets deploy writes 0400, owned by Traefik's reader. */
export const PROXY_CERTIFICATE = { certFile: `/run/secrets/${TLS_SECRETS.cert}`, keyFile: `/run/secrets/${TLS_SECRETS.key}` } as const;

/**
 * The file provider's TLS section: the issued certificate, and the same as the default store's
 * certificate, so a client that sends no SNI (or a name not routed) gets it instead of Traefik's
 * self-signed default.
 */
export function traefikTls(): Record<string, unknown> {
  return {
    tls: {
      certificates: [{ ...PROXY_CERTIFICATE }],
      stores: { default: { defaultCertificate: { ...PROXY_CERTIFICATE } } },
    },
  };
}

/** The resolver name the static configuration declares for ACME DNS-01 (certificatesResolvers.<name>). */
export const ACME_RESOLVER = 'acme';

/** A router's TLS: the store's certificate for the internal CA, the ACME resolver otherwise. */
export function routerTls(lab: Lab): Record<string, string> {
  return tlsMode(lab) === 'acme-dns01' ? { certResolver: ACME_RESOLVER } : {};
}

/**
 * With ACME DNS-01: the folder of acme.json on a dataset, so the account key and the issued
 * certificates outlive a recreated container (without it every deploy orders them again and runs
 * into the CA's rate limits). Traefik creates acme.json itself with mode 0600 and refuses to use
 * one with wider permissions; deploy creates the folder owned by Traefik's user, 0750. Empty with
 * the internal CA, so a proxy's service can spread it into its volumes unconditionally.
 */
export function traefikAcmeVolumes(tls: TlsFacts | undefined, dataset: DatasetRef): VolumeSpec[] {
  if (tls?.mode !== 'acme-dns01') return [];
  return [{ dataset, sub: 'traefik/acme', target: ACME_DIR, sensitive: "the ACME account key and the private keys of the issued certificates (acme.json, 0600)" }];
}

/**
 * Traefik's static `certificatesResolvers.acme` for DNS-01 as `TRAEFIK_*` variables (Traefik's
 * static configuration reference), the provider's token as a secret file named by its `*_FILE`
 * variable (lego reads the token from there). Empty with the internal CA, so a proxy's service can
 * spread it into its environment unconditionally.
 */
export function traefikAcmeEnvironment(tls: TlsFacts | undefined): Record<string, EnvValue> {
  if (tls?.mode !== 'acme-dns01') return {};
  return {
    [`TRAEFIK_CERTIFICATESRESOLVERS_${ACME_RESOLVER.toUpperCase()}_ACME_EMAIL`]: tls.email,
    [`TRAEFIK_CERTIFICATESRESOLVERS_${ACME_RESOLVER.toUpperCase()}_ACME_STORAGE`]: ACME_STORAGE,
    [`TRAEFIK_CERTIFICATESRESOLVERS_${ACME_RESOLVER.toUpperCase()}_ACME_DNSCHALLENGE_PROVIDER`]: tls.provider,
    [tls.tokenEnv]: secret(tls.tokenSecret),
  };
}
