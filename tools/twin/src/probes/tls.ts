import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CA_BUNDLE, httpsCallNames, issueServerCertificate, registryNames, type HostDef, type KeyPair, type Lab } from '@homelab/kit/internal';
import type { TwinNode } from '../namespaces.js';
import type { ProbeLog } from '../probe.js';
import { fail } from '../probe.js';
import { dockerCertsD, readVendorData } from '../trust.js';
import type { TwinVm } from '../vm.js';
import { waitUntil } from '../wait.js';
import { BUSYBOX, containerOf } from './containers.js';

/** The port the HTTPS entry point's stand-in listens on (Traefik's websecure). */
const HTTPS_PORT = 443;
/** Where the entry serves the forged certificate: the lab's CA's key in the wrong hands. */
const FORGED_PORT = 8443;
/** A name outside every domain of the lab, for which the forged certificate is made. */
export const FORGED_NAME = 'bank.example';

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
async function handshake(node: TwinNode, server: string, port: number, name: string, caFile: string, inNode: 'exec' | 'execNet'): Promise<{ ok: boolean; why: string }> {
  const r = await node[inNode](['openssl', 's_client', '-connect', `${server}:${port}`, '-servername', name, '-verify_hostname', name, '-verify_return_error', '-CAfile', caFile, '-no-CApath', '-no-CAstore', '-brief'], { timeoutMs: 60_000 });
  const why = r.stderr.split('\n').filter((l) => /verify|error|Verification/i.test(l)).slice(0, 3).join('; ').trim();
  return { ok: r.code === 0 && /Verification: OK/.test(r.stderr), why: why || `s_client exited ${r.code}` };
}

async function verify(node: TwinNode, server: string, name: string, caFile: string, inNode: 'exec' | 'execNet'): Promise<void> {
  const r = await handshake(node, server, HTTPS_PORT, name, caFile, inNode);
  if (!r.ok) fail(`the certificate served for ${name} does not verify against ${caFile}: ${r.why}`);
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
 * the certificate is served from the LAN client's address, which every VM reaches. On :8443 it
 * serves what an attacker holding the lab's CA key would: a certificate that CA signs for
 * FORGED_NAME, a name outside the lab.
 */
export async function startHttpsEntry(node: TwinNode, proxyVm: TwinVm, proxyService: string, proxyDist: string, labCa: KeyPair): Promise<HttpsEntry> {
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
  const forged = issueServerCertificate(labCa, [FORGED_NAME], 30);
  writeFileSync(join(dir, 'forged-cert.pem'), forged.certPem);
  writeFileSync(join(dir, 'forged-key.pem'), forged.keyPem, { mode: 0o600 });
  const servers = ([[HTTPS_PORT, 'cert.pem', 'key.pem'], [FORGED_PORT, 'forged-cert.pem', 'forged-key.pem']] as const).map(([port, cert, key]) => {
    const server = node.spawn(['openssl', 's_server', '-accept', `${node.address}:${port}`, '-cert', join(dir, cert), '-key', join(dir, key), '-www', '-quiet'], { log: join(dir, `s_server-${port}.log`) });
    return { port, server, exited: new Promise<void>((resolve) => server.once('exit', () => resolve())) };
  });
  for (const { port } of servers) await waitUntil(`openssl s_server on ${node.address}:${port}`, async () => (await node.execNet(['sh', '-c', `ss -ltn | grep -q '${node.address}:${port} '`])).code === 0);
  return {
    address: node.address,
    stop: async () => {
      for (const s of servers) s.server.kill('SIGTERM');
      await Promise.all(servers.map((s) => s.exited));
    },
  };
}

/**
 * The lab's CA in the wrong hands (its key leaked from a backup, a laptop, CI): a certificate it
 * signs for a name outside the lab must be refused by the VM's trust store, as by every household
 * device that trusts the CA. The CA's name constraints do it (OpenSSL: "permitted subtree violation").
 */
export async function probeForgedCertificate(log: ProbeLog, host: HostDef, vm: TwinVm, entry: HttpsEntry): Promise<void> {
  await log.check(host.name, 'tls', `${host.name} refuses a certificate the lab's CA signs for ${FORGED_NAME} (the CA is trusted for the lab only)`, async () => {
    const r = await handshake(vm.node, entry.address, FORGED_PORT, FORGED_NAME, CA_BUNDLE, 'exec');
    if (r.ok) fail(`${host.name}'s trust store (${CA_BUNDLE}) accepts the lab's CA for ${FORGED_NAME}: the CA has no name constraints, so whoever holds its key can pose as any site to every device that trusts it`);
    if (!/subtree violation/.test(r.why)) fail(`refused, but not for the CA's name constraints (${r.why}): the probe cannot tell whether the CA is constrained`);
  });
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
