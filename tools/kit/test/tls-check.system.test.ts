import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkProxyCertificate, createCa, issueServerCertificate } from '../src/internal.js';

// The proxy's certificate against the lab, as `homelab plan` checks it: real certificates from
// openssl, each judged at a date computed from the certificate itself (no test reads the clock).
describe('the proxy certificate check', () => {
  const ca = createCa('twin', ['home.arpa', 'local']);
  const names = ['grafana.home.arpa', 'grafana.local', 'jellyfin.home.arpa'];
  const issued = issueServerCertificate(ca, names);
  const ends = new Date(new X509Certificate(issued.certPem).validTo);
  const days = (n: number) => new Date(ends.getTime() + n * 86_400_000);
  const codes = (pem: string, at: Date, wanted = names, caPem: string | undefined = ca.certPem) => checkProxyCertificate(pem, wanted, at, 'vm-infra/traefik/secrets', caPem).map((f) => `${f.code}:${f.severity}`);

  it('accepts a certificate that names every route, from the lab\'s CA, far from its end', () => {
    expect(codes(issued.certPem, days(-200))).toEqual([]);
  });

  it('warns within 30 days of the end, and refuses one past it', () => {
    expect(codes(issued.certPem, days(-10))).toEqual(['tls-certificate-expiring:warning']);
    expect(codes(issued.certPem, days(1))).toEqual(['tls-certificate-expired:error']);
  });

  it('names the route names its SANs lack', () => {
    const found = checkProxyCertificate(issued.certPem, [...names, 'immich.home.arpa'], days(-200), 'vm-infra/traefik/secrets', ca.certPem);
    expect(found.map((f) => f.code)).toEqual(['tls-certificate-names-missing']);
    expect(found[0]!.message).toContain('immich.home.arpa');
    expect(found[0]!.message).not.toContain('grafana');
  });

  it('matches names as a TLS client does (node\'s checkHost): a wildcard is one leftmost label, any case', () => {
    const wild = issueServerCertificate(ca, ['*.home.arpa']);
    const at = days(-200);
    const missing = (wanted: string[]) => checkProxyCertificate(wild.certPem, wanted, at, 'vm-infra/traefik/secrets', ca.certPem).flatMap((f) => (f.code === 'tls-certificate-names-missing' ? [f.message] : []));
    expect(missing(['grafana.home.arpa', 'GRAFANA.Home.Arpa'])).toEqual([]);
    expect(missing(['home.arpa'])[0]).toContain('does not name home.arpa:');
    expect(missing(['a.b.home.arpa'])[0]).toContain('does not name a.b.home.arpa:');
  });

  it('refuses a certificate another CA signed, and text that is no certificate', () => {
    expect(codes(issued.certPem, days(-200), names, createCa('other', ['home.arpa', 'local']).certPem)).toEqual(['tls-certificate-untrusted:error']);
    expect(codes('twin-test-value-of-traefik-tls-cert', days(-200))).toEqual(['tls-certificate-unreadable:error']);
  });
});
