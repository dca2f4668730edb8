import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CA_BUNDLE, httpsCallNames, registryNames, type HostDef, type Lab } from '@homelab/kit/internal';
import type { TwinNode } from '../namespaces.js';
import type { ProbeLog } from '../probe.js';
import { fail } from '../probe.js';
import { dockerCertsD, readVendorData } from '../trust.js';
import type { TwinVm } from '../vm.js';
import { waitUntil } from '../wait.js';
import { BUSYBOX, containerOf } from './containers.js';

/** The port the HTTPS entry point's stand-in listens on (Traefik's websecure). */
const HTTPS_PORT = 443;

/** The certificate and key files Traefik serves, as the rendered tls.yaml names them (inside its container). */
export function servedCertificateFiles(proxyDist: string): { certFile: string; keyFile: string } {
  const doc = parse(readFileSync(join(proxyDist, 'traefik', 'dynamic', 'tls.yaml'), 'utf8')) as { tls?: { certificates?: { certFile: string; keyFile: string }[] } };
  const first = doc.tls?.certificates?.[0];
  if (!first) throw new Error(`twin: ${proxyDist}/traefik/dynamic/tls.yaml names no certificate`);
  return first;
}

/**
 * `openssl s_client` as a client on `node` that trusts exactly `caFile` (no default paths): the
 * handshake with `name` as SNI must verify, chain and host name, or it exits non-zero.
 */
async function verify(node: TwinNode, server: string, name: string, caFile: string, inNode: 'exec' | 'execNet'): Promise<void> {
  const r = await node[inNode](['openssl', 's_client', '-connect', `${server}:${HTTPS_PORT}`, '-servername', name, '-verify_hostname', name, '-verify_return_error', '-CAfile', caFile, '-no-CApath', '-no-CAstore', '-brief'], { timeoutMs: 60_000 });
  if (r.code !== 0 || !/Verification: OK/.test(r.stderr)) {
    const why = r.stderr.split('\n').filter((l) => /verify|error|Verification/i.test(l)).slice(0, 3).join('; ').trim();
    fail(`the certificate served for ${name} does not verify against ${caFile}: ${why || `s_client exited ${r.code}`}`);
  }
}

export interface HttpsEntry {
  /** The address the stand-in serves on. */
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * The lab's HTTPS entry point for the TLS probes: `openssl s_server` with the certificate and key
 * Traefik reads (copied out of the proxy's container, from where tls.yaml names them), on :443 of
 * `node`. Traefik's stand-in image answers plain HTTP on vm-infra's 443 (busybox has no TLS), so
 * the certificate is served from the LAN client's address, which every VM reaches.
 */
export async function startHttpsEntry(node: TwinNode, proxyVm: TwinVm, proxyService: string, proxyDist: string): Promise<HttpsEntry> {
  const id = await containerOf(proxyVm, proxyService);
  if (!id) throw new Error(`twin: no container for ${proxyService}: nothing serves the lab's certificate`);
  const files = servedCertificateFiles(proxyDist);
  const dir = join(node.dir, 'https-entry');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const [file, to] of [[files.certFile, 'cert.pem'], [files.keyFile, 'key.pem']] as const) {
    const r = await proxyVm.docker(['exec', '-u', '0', id, BUSYBOX, 'cat', file]);
    if (r.code !== 0) throw new Error(`twin: reading ${file} in ${proxyService}: ${r.stderr.trim()}`);
    writeFileSync(join(dir, to), r.stdout, { mode: 0o600 });
  }
  const server = node.spawn(['openssl', 's_server', '-accept', `${node.address}:${HTTPS_PORT}`, '-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem'), '-www', '-quiet'], { log: join(dir, 's_server.log') });
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  await waitUntil(`openssl s_server on ${node.address}:${HTTPS_PORT}`, async () => (await node.execNet(['sh', '-c', `ss -ltn | grep -q '${node.address}:${HTTPS_PORT} '`])).code === 0);
  return {
    address: node.address,
    stop: async () => {
      server.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The TLS probes of one VM, each a client verifying the lab's certificate against that VM's own
 * trust store: the system bundle (what its vendor data's `ca_certs` made of Debian's, bound at
 * /etc/ssl/certs/ca-certificates.crt in its namespace) for every registry name; Docker's
 * /etc/docker/certs.d/<name>/ca.crt from its vendor data, alone, for the same names; and for each
 * container that calls a route over HTTPS (`callsOverHttps`), the bundle inside that container.
 */
export async function probeTls(log: ProbeLog, lab: Lab, host: HostDef, vm: TwinVm, entry: HttpsEntry, distDir: string): Promise<void> {
  const registries = registryNames(lab);
  const certsD = dockerCertsD(readVendorData(distDir));
  for (const name of registries) {
    await log.check(host.name, 'tls', `${host.name} verifies ${name} with its own trust store (${CA_BUNDLE})`, () => verify(vm.node, entry.address, name, CA_BUNDLE, 'exec'));
    await log.check(host.name, 'tls', `Docker on ${host.name} trusts ${name} (/etc/docker/certs.d/${name}/ca.crt)`, async () => {
      const pem = certsD.get(name);
      if (pem === undefined) fail(`the vendor data writes no /etc/docker/certs.d/${name}/ca.crt: docker pull ${name}/... fails with "x509: certificate signed by unknown authority"`);
      const file = join(vm.node.dir, `certs.d-${name}.crt`);
      writeFileSync(file, pem);
      await verify(vm.node, entry.address, name, file, 'execNet');
    });
  }
  for (const service of host.services) {
    for (const name of httpsCallNames(lab, service)) {
      await log.check(host.name, 'tls', `${service.name} verifies ${name} with its container's ${CA_BUNDLE}`, async () => {
        const id = await containerOf(vm, service.name);
        if (!id) fail(`no container for ${service.name}`);
        const r = await vm.docker(['exec', '-u', '0', id, BUSYBOX, 'cat', CA_BUNDLE]);
        if (r.code !== 0) fail(`${service.name} has no ${CA_BUNDLE}: ${r.stderr.trim()}`);
        const file = join(vm.node.dir, `bundle-${service.name}.crt`);
        writeFileSync(file, r.stdout);
        await verify(vm.node, entry.address, name, file, 'execNet');
      });
    }
  }
}
