import { routeDomain } from '../../model/routes.js';
import { defineRule } from '../rule.js';

/** Domains no public CA issues for: RFC 8375's home.arpa, mDNS's .local, and other special-use names. */
const PRIVATE = /(^|\.)(home\.arpa|local|internal|lan|localhost|test|invalid|example)$/;

/** ACME DNS-01 proves control of a public DNS zone: the route domain must be one, and the account complete. */
export const tlsRule = defineRule({
  codes: ['tls-acme-private-domain', 'tls-acme-incomplete'],
  check(lab, findings) {
    const tls = lab.facts.tls;
    if (tls?.mode !== 'acme-dns01') return;
    const domain = routeDomain(lab);
    if (PRIVATE.test(domain)) {
      findings.error('tls-acme-private-domain', 'shared/tls', `ACME DNS-01 cannot issue certificates for *.${domain}: no public CA signs a special-use or private domain. Set routeDomain to a domain you own whose DNS ${tls.provider} serves, or use mode 'internal-ca'.`);
    }
    const missing = (['provider', 'email', 'tokenSecret', 'tokenEnv'] as const).filter((k) => !tls[k]);
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(tls.email ?? '')) missing.push('email');
    if (tls.tokenEnv && !tls.tokenEnv.endsWith('_FILE')) missing.push('tokenEnv');
    for (const k of [...new Set(missing)]) {
      findings.error('tls-acme-incomplete', `shared/tls.${k}`, `ACME DNS-01 needs ${k === 'email' ? 'an e-mail address for the account' : k === 'tokenEnv' ? "the provider's token variable ending in _FILE (lego reads the token from the file it names, e.g. CF_DNS_API_TOKEN_FILE)" : k}: set tls.${k} in packages/shared/src/facts.ts.`);
    }
  },
});
