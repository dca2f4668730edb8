import { X509Certificate } from 'node:crypto';
import { isVmHost } from '../../model/qemu.js';
import { labRoutes } from '../../model/routes.js';
import { tlsMode } from '../../model/tls.js';
import { CA_BUNDLE } from '../../model/trust.js';
import type { ServiceDef } from '../../model/service.js';
import { defineRule, eachService, servicePath } from '../rule.js';

/** A volume that gives the container its VM's CA bundle at the same path (the whole folder or the file). */
function mountsVmBundle(service: ServiceDef): boolean {
  const folder = CA_BUNDLE.slice(0, CA_BUNDLE.lastIndexOf('/'));
  return (service.volumes ?? []).some((v) => 'hostPath' in v && (v.hostPath === CA_BUNDLE || v.hostPath === folder) && v.target === v.hostPath && v.readOnly === true);
}

/** Whether a PEM is a CA certificate Node can read (the loader reads secrets/ca.crt as it is). */
function caProblem(pem: string): string | undefined {
  try {
    const cert = new X509Certificate(pem);
    return cert.ca ? undefined : 'it is not a CA certificate (basicConstraints CA:FALSE)';
  } catch (e) {
    return `it is not a PEM certificate (${e instanceof Error ? e.message : String(e)})`;
  }
}

/**
 * The lab's CA trusted where it is used: every VM gets it from its vendor data, so with the
 * internal CA there must be one recorded (secrets/ca.crt), and a service that calls a route over
 * HTTPS must see its VM's bundle and name a route that exists.
 */
export const trustRule = defineRule({
  description: "the lab's CA is recorded for the VMs to trust, and every HTTPS client of a route trusts it",
  docs: 'findings.md#across-the-lab',
  codes: ['tls-ca-missing', 'tls-ca-invalid', 'tls-client-untrusted', 'tls-client-unknown-route'],
  check(lab, findings) {
    const internal = tlsMode(lab) === 'internal-ca';
    if (internal && lab.hosts.some(isVmHost)) {
      if (lab.caCertificate === undefined) {
        findings.warning('tls-ca-missing', 'secrets/ca.crt', "the lab uses its own CA, but none is recorded: no VM's vendor data can trust it (cloud-init ca_certs, Docker's certs.d), so every client inside the lab refuses the proxy's certificate. Run `homelab secret ca-init`, commit secrets/ca.crt, and build again.");
      } else {
        const problem = caProblem(lab.caCertificate);
        if (problem) findings.error('tls-ca-invalid', 'secrets/ca.crt', `secrets/ca.crt cannot be the lab's CA: ${problem}. Every VM would trust it in place of the CA that signs the proxy's certificate. Restore the file \`homelab secret ca-init\` wrote.`);
      }
    }
    const routes = new Set(labRoutes(lab).map((r) => r.route.host));
    for (const r of lab.facts.externalRoutes ?? []) routes.add(r.host);
    eachService(lab, (host, service) => {
      const calls = service.callsOverHttps ?? [];
      calls.forEach((route, i) => {
        if (!routes.has(route)) findings.error('tls-client-unknown-route', servicePath(host, service, `callsOverHttps[${i}]`), `${service.name} calls "${route}" over HTTPS, but no service or external route has that route host; name one of: ${[...routes].sort().join(', ')}.`);
      });
      if (calls.length > 0 && internal && !mountsVmBundle(service)) {
        findings.error('tls-client-untrusted', servicePath(host, service, 'volumes'), `${service.name} calls ${calls.join(', ')} over HTTPS but does not mount its VM's CA bundle, so it refuses the certificate the lab's CA signed. Add { hostPath: '${CA_BUNDLE}', target: '${CA_BUNDLE}', readOnly: true, reason: '...' } to its volumes.`);
      }
    });
  },
});
