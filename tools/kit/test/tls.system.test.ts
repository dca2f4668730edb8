import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caPermittedDomains, certificateNames, createCa, issueServerCertificate, traefikTls } from '../src/internal.js';
import { realLab } from './fixtures.js';

// The internal CA against the real openssl: the certificate the proxy serves carries every
// route name of the lab and verifies against the CA, and against no other CA; a certificate the
// CA signs for a name outside the lab's domains, or for an address, verifies nowhere (issue 27).
const dir = mkdtempSync(join(tmpdir(), 'homelab-tls-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('the internal CA (openssl)', () => {
  const names = certificateNames(realLab);
  const ca = createCa('homelab', caPermittedDomains(realLab));
  const server = issueServerCertificate(ca, names);
  const caFile = write('ca.crt', ca.certPem);
  const certFile = write('server.crt', server.certPem);

  it('names every route under both domains', () => {
    expect(names).toContain('grafana.home.arpa');
    expect(names).toContain('grafana.local');
    expect(names).toContain('adguard.home.arpa');
  });

  it('puts every route hostname in the served certificate\'s SANs', () => {
    const ext = openssl('x509', '-in', certFile, '-noout', '-ext', 'subjectAltName');
    const sans = [...ext.matchAll(/DNS:([^,\s]+)/g)].map((m) => m[1]).sort();
    expect(sans).toEqual(names);
  });

  it('verifies against the CA as a TLS server certificate', () => {
    expect(openssl('verify', '-CAfile', caFile, '-purpose', 'sslserver', certFile).trim()).toBe(`${certFile}: OK`);
  });

  it('does not verify against another CA', () => {
    const other = write('other.crt', createCa('other', ['local']).certPem);
    expect(() => openssl('verify', '-CAfile', other, certFile)).toThrow();
  });

  it('is constrained to the lab\'s domains: what it signs for another name or an address does not verify', () => {
    expect(caPermittedDomains(realLab)).toEqual(['home.arpa', 'local']);
    const ext = openssl('x509', '-in', caFile, '-noout', '-ext', 'nameConstraints');
    expect(ext).toMatch(/critical/);
    expect(ext).toMatch(/Permitted:\s+DNS:home\.arpa\s+DNS:local\s+Excluded:\s+IP:0\.0\.0\.0\/0\.0\.0\.0\s+IP:0:0:0:0:0:0:0:0\/0:0:0:0:0:0:0:0\s*$/);
    // The CA's key in the wrong hands mints a certificate for a bank, or for an address.
    const forged = write('forged.crt', issueServerCertificate(ca, ['bank.example']).certPem);
    expect(() => openssl('verify', '-CAfile', caFile, '-purpose', 'sslserver', forged)).toThrow(/permitted subtree violation/);
    const sub = write('sub.crt', issueServerCertificate(ca, ['grafana.local.example']).certPem);
    expect(() => openssl('verify', '-CAfile', caFile, '-purpose', 'sslserver', sub)).toThrow(/permitted subtree violation/);
    write('ca.key', ca.keyPem);
    write('ip.cnf', 'basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:grafana.local,IP:192.168.0.20\n');
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'ip.key'), '-out', join(dir, 'ip.csr'), '-subj', '/CN=grafana.local');
    openssl('x509', '-req', '-in', join(dir, 'ip.csr'), '-CA', caFile, '-CAkey', join(dir, 'ca.key'), '-CAcreateserial', '-days', '30', '-extfile', join(dir, 'ip.cnf'), '-out', join(dir, 'ip.crt'));
    expect(() => openssl('verify', '-CAfile', caFile, '-purpose', 'sslserver', join(dir, 'ip.crt'))).toThrow(/excluded subtree violation/);
  });

  it('refuses to make a CA that no name constraint limits', () => {
    expect(() => createCa('homelab', [])).toThrow(/at least one domain/);
  });

  it('its key belongs to the certificate', () => {
    const pub = (args: string[]) => openssl(...args, '-pubout');
    expect(pub(['pkey', '-in', write('server.key', server.keyPem)])).toBe(openssl('x509', '-in', certFile, '-noout', '-pubkey'));
  });

  it('is where Traefik\'s file provider looks for it', () => {
    expect(traefikTls()).toMatchObject({ tls: { certificates: [{ certFile: '/run/secrets/traefik-tls-cert', keyFile: '/run/secrets/traefik-tls-key' }] } });
  });
});

describe('the CA in the age store (homelab secret ca-init, tls-issue)', () => {
  it('keeps the CA key encrypted, issues the proxy certificate into the proxy host\'s secrets, and it verifies', async () => {
    const { decryptFile, initCa, issueProxyCertificate, newIdentity } = await import('../src/internal.js');
    const { existsSync, readFileSync } = await import('node:fs');
    const store = join(dir, 'store');
    const { identity, recipient } = await newIdentity();
    const [caCert, caKey] = await initCa(realLab, store, [recipient]);
    expect(readFileSync(caKey!, 'utf8')).toContain('BEGIN AGE ENCRYPTED FILE');
    await expect(initCa(realLab, store, [recipient])).rejects.toThrow(/exists already/);
    const { files, names } = await issueProxyCertificate(realLab, store, [recipient], [identity]);
    expect(files.map((f) => f.slice(store.length + 1))).toEqual(['vm-infra/traefik-tls-cert.age', 'vm-infra/traefik-tls-key.age']);
    expect(names).toEqual(certificateNames(realLab));
    const cert = write('issued.crt', Buffer.from(await decryptFile(files[0]!, [identity])).toString('utf8'));
    expect(openssl('verify', '-CAfile', caCert!, '-purpose', 'sslserver', cert).trim()).toBe(`${cert}: OK`);
    expect(existsSync(join(store, 'vm-infra', 'lab-ca-key.age'))).toBe(false);
  });
});
