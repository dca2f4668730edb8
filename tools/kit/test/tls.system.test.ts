import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateNames, createCa, issueServerCertificate, traefikTls } from '../src/internal.js';
import { realLab } from './fixtures.js';

// The internal CA against the real openssl: the certificate the proxy serves carries every
// route name of the lab and verifies against the CA, and against no other CA.
const dir = mkdtempSync(join(tmpdir(), 'homelab-tls-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('the internal CA (openssl)', () => {
  const names = certificateNames(realLab);
  const ca = createCa('homelab');
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
    const other = write('other.crt', createCa('other').certPem);
    expect(() => openssl('verify', '-CAfile', other, certFile)).toThrow();
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
