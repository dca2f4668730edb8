import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { registryNames, renderCloudInit, validateLab, type Lab } from '../src/internal.js';
import { realLab } from './fixtures.js';
import { withFacts, withService } from './mutate.js';

/**
 * Test CAs made once with openssl for these tests (never a real lab's): one constrained to the
 * lab's domains as `homelab secret ca-init` makes it, one with no name constraints (as ca-init made
 * them before issue 27), one constrained to another domain; and a certificate that is not a CA.
 */
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'tls', name), 'utf8');
const CA = fixture('ca.crt');
const UNCONSTRAINED_CA = fixture('ca-unconstrained.crt');
const OTHER_DOMAIN_CA = fixture('ca-other-domain.crt');
const NOT_A_CA = fixture('not-a-ca.crt');

const withCa = (lab: Lab, caCertificate: string | undefined): Lab => {
  const { caCertificate: _, ...rest } = lab;
  return caCertificate === undefined ? rest : { ...rest, caCertificate };
};

interface Vendor {
  ca_certs?: { trusted: string[] };
  write_files?: { path: string; content: string; permissions: string }[];
}
const vendorOf = (lab: Lab, host: string): Vendor => {
  const artifact = renderCloudInit(lab, lab.hosts.find((h) => h.name === host)!)[0]!;
  return parse(artifact.content) as Vendor;
};
const codes = (lab: Lab, code: string) => validateLab(lab).filter((f) => f.code === code).map((f) => `${f.severity} @ ${f.path}`);

describe("the lab's CA in every VM's vendor data", () => {
  const lab = withCa(realLab, CA);
  const vms = lab.hosts.filter((h) => h.kind === 'vm').map((h) => h.name);

  it('the registry is found by its role, under both route names', () => {
    expect(registryNames(lab)).toEqual(['registry.home.arpa', 'registry.local']);
  });

  it.each(vms)('%s: ca_certs trusts the CA, and Docker trusts it for each registry name', (host) => {
    const doc = vendorOf(lab, host);
    expect(doc.ca_certs).toEqual({ trusted: [CA] });
    const certsD = (doc.write_files ?? []).filter((f) => f.path.startsWith('/etc/docker/certs.d/'));
    expect(certsD.map((f) => f.path)).toEqual(['/etc/docker/certs.d/registry.home.arpa/ca.crt', '/etc/docker/certs.d/registry.local/ca.crt']);
    for (const f of certsD) expect(f).toMatchObject({ content: CA, permissions: '0644' });
  });

  it('is deterministic: the same CA renders the same bytes', () => {
    expect(renderCloudInit(lab, lab.hosts.find((h) => h.name === 'vm-games')!)[0]!.content).toBe(renderCloudInit(withCa(realLab, CA), lab.hosts.find((h) => h.name === 'vm-games')!)[0]!.content);
  });

  it('trusts nothing extra with ACME (a public CA) or with no CA recorded', () => {
    const acme = withFacts(lab, (f) => ({ ...f, tls: { mode: 'acme-dns01', provider: 'cloudflare', email: 'a@b.example', tokenSecret: 'cf', tokenEnv: 'CF_DNS_API_TOKEN_FILE' } }));
    for (const l of [acme, withCa(realLab, undefined)]) {
      const doc = vendorOf(l, 'vm-games');
      expect(doc.ca_certs).toBeUndefined();
      expect(JSON.stringify(doc.write_files ?? [])).not.toContain('certs.d');
    }
  });
});

describe('trust rules', () => {
  it('tls-ca-missing: the internal CA with no secrets/ca.crt is a warning', () => {
    expect(codes(withCa(realLab, undefined), 'tls-ca-missing')).toEqual(['warning @ secrets/ca.crt']);
    expect(codes(withCa(realLab, CA), 'tls-ca-missing')).toEqual([]);
  });

  it('tls-ca-invalid: a ca.crt that is no CA certificate', () => {
    expect(codes(withCa(realLab, NOT_A_CA), 'tls-ca-invalid')).toEqual(['error @ secrets/ca.crt']);
    expect(codes(withCa(realLab, 'not a certificate'), 'tls-ca-invalid')).toEqual(['error @ secrets/ca.crt']);
    expect(codes(withCa(realLab, CA), 'tls-ca-invalid')).toEqual([]);
  });

  it('tls-ca-unconstrained: a CA without name constraints is trusted by household devices for every site', () => {
    expect(codes(withCa(realLab, UNCONSTRAINED_CA), 'tls-ca-unconstrained')).toEqual(['warning @ secrets/ca.crt']);
    const [finding] = validateLab(withCa(realLab, UNCONSTRAINED_CA)).filter((f) => f.code === 'tls-ca-unconstrained');
    expect(finding!.message).toMatch(/no DNS names permitted.*addresses not excluded.*constrained to home\.arpa and local/s);
    expect(codes(withCa(realLab, CA), 'tls-ca-unconstrained')).toEqual([]);
    expect(codes(withCa(realLab, OTHER_DOMAIN_CA), 'tls-ca-unconstrained')).toEqual([]);
  });

  it('tls-ca-excludes-name: a CA constrained away from a route name makes clients refuse the proxy', () => {
    expect(codes(withCa(realLab, OTHER_DOMAIN_CA), 'tls-ca-excludes-name')).toEqual(['error @ secrets/ca.crt']);
    const [finding] = validateLab(withCa(realLab, OTHER_DOMAIN_CA)).filter((f) => f.code === 'tls-ca-excludes-name');
    expect(finding!.message).toContain('permitted: example.com');
    expect(finding!.message).toContain('grafana.local');
    expect(codes(withCa(realLab, CA), 'tls-ca-excludes-name')).toEqual([]);
    // A second route domain the CA was not made for is left out too.
    expect(codes(withFacts(withCa(realLab, CA), (f) => ({ ...f, routeDomain: 'lab.example' })), 'tls-ca-excludes-name')).toEqual(['error @ secrets/ca.crt']);
  });

  it('tls-ca-key-shared: the CA\'s key encrypted to more than its issuer', () => {
    expect(codes({ ...withCa(realLab, CA), caKeyRecipients: 2 }, 'tls-ca-key-shared')).toEqual(['warning @ secrets/lab-ca-key.age']);
    expect(codes({ ...withCa(realLab, CA), caKeyRecipients: 1 }, 'tls-ca-key-shared')).toEqual([]);
    expect(codes(withCa(realLab, CA), 'tls-ca-key-shared')).toEqual([]);
  });

  it('the panel and Wings each trust the other: both mount their VM\'s bundle', () => {
    const lab = withCa(realLab, CA);
    expect(codes(lab, 'tls-client-untrusted')).toEqual([]);
    expect(codes(lab, 'tls-client-unknown-route')).toEqual([]);
  });

  it('tls-client-untrusted: the panel without its VM\'s bundle', () => {
    const lab = withService(withCa(realLab, CA), 'vm-games', 'pelican-panel', (s) => ({ ...s, volumes: s.volumes!.filter((v) => !('hostPath' in v)) }));
    expect(codes(lab, 'tls-client-untrusted')).toEqual(['error @ vm-games/pelican-panel/volumes']);
  });

  it('tls-client-unknown-route: a call to a route nobody declares', () => {
    const lab = withService(withCa(realLab, CA), 'vm-games', 'wings', (s) => ({ ...s, callsOverHttps: ['pelican'] }));
    expect(codes(lab, 'tls-client-unknown-route')).toEqual(['error @ vm-games/wings/callsOverHttps[0]']);
  });
});
