import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeployError } from '../common/errors.js';
import type { Lab } from '../model/lab.js';
import { proxyHost } from '../model/routes.js';
import { TLS_SECRETS } from '../model/tls.js';
import { CA_CERT_FILE, CA_KEY_SECRET, caPermittedDomains } from '../model/trust.js';
import { decryptFile, encryptValue } from '../secrets/age.js';
import { secretFile } from '../secrets/store.js';
import { certificateNames } from './names.js';
import { createCa, issueServerCertificate } from './openssl.js';

/** The CA certificate is public and committed (clients trust it; model/trust.ts); its key is a secret of the store. */
export { CA_CERT_FILE, CA_KEY_SECRET };

/**
 * `homelab secret ca-init`: a new CA, its certificate beside the store, its key encrypted into it
 * to `keyRecipients` alone (the CLI gives the caller's own recipient, never the store's list, in
 * which CI's recipient is: CI deploys the issued certificate, it never signs one). Refuses to
 * replace one.
 */
export async function initCa(lab: Lab, dir: string, keyRecipients: readonly string[]): Promise<string[]> {
  const certPath = join(dir, CA_CERT_FILE);
  if (existsSync(certPath) || secretFile(dir, '', CA_KEY_SECRET)) {
    throw new DeployError('ca-exists', `${certPath} or ${CA_KEY_SECRET}.age exists already: every client trusts that CA; remove both by hand to start over.`);
  }
  const ca = createCa(lab.facts.name, caPermittedDomains(lab));
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, `${CA_KEY_SECRET}.age`);
  writeFileSync(keyPath, await encryptValue(ca.keyPem, keyRecipients));
  writeFileSync(certPath, ca.certPem);
  return [certPath, keyPath];
}

/**
 * `homelab secret tls-issue`: decrypts the CA key in memory, issues the proxy's certificate for
 * every route name, and stores certificate and key as the reverse proxy host's secrets, which
 * deploy delivers as 0400 files owned by Traefik's reader. Run again whenever a route is added.
 */
export async function issueProxyCertificate(lab: Lab, dir: string, recipients: readonly string[], identities: readonly string[]): Promise<{ files: string[]; names: string[] }> {
  const host = proxyHost(lab);
  if (!host) throw new DeployError('tls-no-proxy', 'no service has role reverse-proxy: nothing serves a certificate.');
  const certPath = join(dir, CA_CERT_FILE);
  const keyFile = secretFile(dir, host.name, CA_KEY_SECRET);
  if (!existsSync(certPath) || !keyFile) throw new DeployError('ca-missing', `no internal CA in ${dir}: create it with \`homelab secret ca-init\`.`);
  const ca = { certPem: readFileSync(certPath, 'utf8'), keyPem: Buffer.from(await decryptFile(keyFile, identities)).toString('utf8') };
  const names = certificateNames(lab);
  const issued = issueServerCertificate(ca, names);
  mkdirSync(join(dir, host.name), { recursive: true });
  const files = [join(dir, host.name, `${TLS_SECRETS.cert}.age`), join(dir, host.name, `${TLS_SECRETS.key}.age`)];
  writeFileSync(files[0]!, await encryptValue(issued.certPem, recipients));
  writeFileSync(files[1]!, await encryptValue(issued.keyPem, recipients));
  return { files, names };
}
