import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A certificate and its private key, PEM. */
export interface KeyPair {
  readonly certPem: string;
  readonly keyPem: string;
}

/**
 * Node's crypto parses certificates but cannot sign them, so the deploying machine's `openssl`
 * does (OpenSSL 3: `req -x509` for the CA, `x509 -req` for a server certificate). Keys are
 * P-256, made in a private temporary directory that is removed afterwards.
 */
function inTemp<T>(work: (dir: string, run: (args: string[]) => void) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-tls-'));
  const run = (args: string[]) => void execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    return work(dir, run);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/**
 * The name constraints of the lab's CA (RFC 5280, 4.2.1.10; critical, as the RFC asks): DNS names
 * under `domains` only, and no IPv4 or IPv6 address at all. A client checks them on every
 * certificate below the CA: OpenSSL refuses with "permitted subtree violation" or "excluded
 * subtree violation".
 */
export function nameConstraintsExtension(domains: readonly string[]): string {
  if (domains.length === 0) throw new Error('the lab\'s CA needs at least one domain to be constrained to');
  return `critical,${domains.map((d) => `permitted;DNS:${d}`).join(',')},excluded;IP:0.0.0.0/0.0.0.0,excluded;IP:::/::`;
}

/**
 * The lab's own certificate authority: a self-signed CA certificate that may sign only server
 * certificates below it, and only for names under `domains` (nameConstraintsExtension).
 */
export function createCa(name: string, domains: readonly string[], days = 3650): KeyPair {
  const constraints = nameConstraintsExtension(domains);
  return inTemp((dir, run) => {
    run(['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', String(days), '-subj', `/CN=${name} internal CA`,
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', `nameConstraints=${constraints}`]);
    return { certPem: readFileSync(join(dir, 'ca.crt'), 'utf8'), keyPem: readFileSync(join(dir, 'ca.key'), 'utf8') };
  });
}

/**
 * A server certificate for every name, signed by the CA. 397 days by default: Apple's clients
 * refuse server certificates valid for longer (support.apple.com/HT211025), even from a private CA.
 */
export function issueServerCertificate(ca: KeyPair, names: readonly string[], days = 397): KeyPair {
  if (names.length === 0) throw new Error('a server certificate needs at least one name');
  return inTemp((dir, run) => {
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    writeFileSync(join(dir, 'ca.key'), ca.keyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'ext.cnf'), [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
      '',
    ].join('\n'));
    run(['req', '-new', ...EC_KEY, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${names[0]}`]);
    run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', String(days), '-sha256', '-extfile', 'ext.cnf', '-out', 'server.crt']);
    return { certPem: readFileSync(join(dir, 'server.crt'), 'utf8'), keyPem: readFileSync(join(dir, 'server.key'), 'utf8') };
  });
}
