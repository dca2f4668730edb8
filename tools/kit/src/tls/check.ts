import { X509Certificate } from 'node:crypto';
import type { Finding } from '../findings.js';

/** Days before its end a certificate counts as expiring (re-issue with `homelab secret tls-issue`). */
export const CERTIFICATE_RENEW_DAYS = 30;

const DAY_MS = 86_400_000;

/**
 * Whether the certificate is valid for `name` as a TLS client checks it: node's checkHost (RFC 6125
 * as OpenSSL's X509_check_host applies it: the subjectAltName's DNS names only, since the
 * certificate has them; a wildcard stands for exactly one leftmost label).
 */
function covers(cert: X509Certificate, name: string): boolean {
  return cert.checkHost(name, { subject: 'default', wildcards: true, partialWildcards: false, multiLabelWildcards: false }) !== undefined;
}

/**
 * The internal CA's certificate the reverse proxy serves, against the lab: expired or expiring
 * within `renewDays` of `now`, a route name its SANs do not carry, or not signed by the lab's CA
 * (`caPem`, when given). `path` names the proxy's secret (host/service/secrets).
 */
export function checkProxyCertificate(certPem: string, names: readonly string[], now: Date, path: string, caPem?: string, renewDays = CERTIFICATE_RENEW_DAYS): Finding[] {
  const out: Finding[] = [];
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return [{ code: 'tls-certificate-unreadable', severity: 'error', path, message: 'the proxy\'s certificate in the secret store is not a PEM certificate: issue it again with `homelab secret tls-issue`.' }];
  }
  const ends = new Date(cert.validTo);
  const left = Math.floor((ends.getTime() - now.getTime()) / DAY_MS);
  if (ends <= now) {
    out.push({ code: 'tls-certificate-expired', severity: 'error', path, message: `the proxy's certificate expired on ${ends.toISOString().slice(0, 10)}: every client refuses it. Issue a new one with \`homelab secret tls-issue\` and deploy ${path.split('/')[0]}.` });
  } else if (left < renewDays) {
    out.push({ code: 'tls-certificate-expiring', severity: 'warning', path, message: `the proxy's certificate expires on ${ends.toISOString().slice(0, 10)}, in ${left} day(s): issue a new one with \`homelab secret tls-issue\` and deploy ${path.split('/')[0]}.` });
  }
  const missing = names.filter((n) => !covers(cert, n));
  if (missing.length > 0) {
    out.push({ code: 'tls-certificate-names-missing', severity: 'error', path, message: `the proxy's certificate does not name ${missing.join(', ')}: clients refuse those routes. It was issued before the route(s) were added; run \`homelab secret tls-issue\` and deploy ${path.split('/')[0]}.` });
  }
  if (caPem) {
    let signed = false;
    try {
      const ca = new X509Certificate(caPem);
      signed = cert.checkIssued(ca) && cert.verify(ca.publicKey);
    } catch {
      signed = false;
    }
    if (!signed) out.push({ code: 'tls-certificate-untrusted', severity: 'error', path, message: `the proxy's certificate is not signed by the lab's CA (ca.crt beside the secret store), which clients trust: issue it again with \`homelab secret tls-issue\`.` });
  }
  return out;
}
