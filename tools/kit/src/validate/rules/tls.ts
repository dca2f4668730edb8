import { routeDomain } from '../../model/routes.js';
import { findRole } from '../../model/wiring.js';
import { ACME_DIR, TLS_SECRETS, tlsMode } from '../../model/tls.js';
import { defineRule } from '../rule.js';

/** Domains no public CA issues for: RFC 8375's home.arpa, mDNS's .local, and other special-use names. */
const PRIVATE = /(^|\.)(home\.arpa|local|internal|lan|localhost|test|invalid|example)$/;

/** ACME DNS-01 proves control of a public DNS zone: the route domain must be one, and the account complete. */
export const tlsRule = defineRule({
  description: 'ACME DNS-01 needs a public domain, a complete account, and storage for the certificate',
  docs: 'findings.md#across-the-lab',
  codes: ['tls-acme-private-domain', 'tls-acme-incomplete', 'tls-certificate-unread', 'tls-acme-storage-missing'],
  check(lab, findings) {
    const proxy = findRole(lab, 'reverse-proxy');
    if (proxy && tlsMode(lab) === 'internal-ca') {
      const reads = new Set((proxy.service.secrets ?? []).map((s) => s.name));
      const missing = Object.values(TLS_SECRETS).filter((n) => !reads.has(n));
      if (missing.length > 0) {
        findings.error('tls-certificate-unread', `${proxy.host.name}/${proxy.service.name}/secrets`, `the reverse proxy does not read ${missing.join(' and ')}, the certificate the lab's CA issues (tls.yaml names them in /run/secrets), so it would serve its self-signed default. Add secrets: [secret(TLS_SECRETS.cert), secret(TLS_SECRETS.key)] to ${proxy.service.name}.`);
      }
    }
    const tls = lab.facts.tls;
    if (tls?.mode !== 'acme-dns01') return;
    const domain = routeDomain(lab);
    if (PRIVATE.test(domain)) {
      findings.error('tls-acme-private-domain', 'shared/tls', `ACME DNS-01 cannot issue certificates for *.${domain}: no public CA signs a special-use or private domain. Set routeDomain to a domain you own whose DNS ${tls.provider} serves, or use mode 'internal-ca'.`);
    }
    const missing = (['provider', 'email', 'tokenSecret', 'tokenEnv'] as const).filter((k) => !tls[k]);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(tls.email ?? '')) missing.push('email');
    if (tls.tokenEnv && !tls.tokenEnv.endsWith('_FILE')) missing.push('tokenEnv');
    const stored = proxy?.service.volumes?.some((v) => 'dataset' in v && v.target === ACME_DIR && !v.readOnly);
    if (proxy && !stored) {
      findings.error('tls-acme-storage-missing', `${proxy.host.name}/${proxy.service.name}/volumes`, `the ACME resolver keeps its account and certificates in ${ACME_DIR}/acme.json, which ${proxy.service.name} does not mount read-write from a dataset: every recreated container would order them again and soon hit the CA's rate limits. Add ...traefikAcmeVolumes(facts.tls, zfs.dataset('services/infra')) to its volumes.`);
    }
    for (const k of [...new Set(missing)]) {
      findings.error('tls-acme-incomplete', `shared/tls.${k}`, `ACME DNS-01 needs ${k === 'email' ? 'an e-mail address for the account' : k === 'tokenEnv' ? "the provider's token variable ending in _FILE (lego reads the token from the file it names, e.g. CF_DNS_API_TOKEN_FILE)" : k}: set tls.${k} in packages/shared/src/facts.ts.`);
    }
  },
});
