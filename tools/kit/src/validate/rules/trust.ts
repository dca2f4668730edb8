import { X509Certificate } from 'node:crypto';
import { isVmHost } from '../../model/qemu.js';
import { labRoutes } from '../../model/routes.js';
import { tlsMode } from '../../model/tls.js';
import { CA_BUNDLE, CA_KEY_SECRET, caPermittedDomains } from '../../model/trust.js';
import { caNameConstraints, inDnsSubtree } from '../../tls/name-constraints.js';
import { certificateNames } from '../../tls/names.js';
import type { Findings } from '../../findings.js';
import type { Lab } from '../../model/lab.js';
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

const EVERY_ADDRESS = ['0.0.0.0/0', '::/0'];

/**
 * The recorded CA limited to the lab's names (issue 27): household devices trust it, so without
 * name constraints its key mints a certificate they accept for any site; a constraint that leaves
 * out a route name makes every client refuse the proxy's own certificate.
 */
function checkCaConstraints(lab: Lab, pem: string, findings: Findings): void {
  const nc = caNameConstraints(pem);
  const remedy = `\`homelab secret ca-init\` makes a CA constrained to ${caPermittedDomains(lab).join(' and ')}: remove secrets/ca.crt and lab-ca-key.age, run ca-init and tls-issue, deploy, and trust the new CA on each device in place of the old.`;
  const missing = [
    ...(nc === undefined || nc.permittedDns.length === 0 ? ['no DNS names permitted (it signs for any site)'] : []),
    ...(nc === undefined || !EVERY_ADDRESS.every((a) => nc.excludedIp.includes(a)) ? ['addresses not excluded (it signs for any IP address)'] : []),
  ];
  if (missing.length > 0) {
    findings.warning('tls-ca-unconstrained', 'secrets/ca.crt', `secrets/ca.crt's name constraints do not limit it to the lab: ${missing.join('; ')}. Every device that trusts it accepts what its key signs. ${remedy}`);
  }
  if (nc === undefined) return;
  const outside = certificateNames(lab).filter((n) => (nc.permittedDns.length > 0 && !nc.permittedDns.some((t) => inDnsSubtree(n, t))) || nc.excludedDns.some((t) => inDnsSubtree(n, t)));
  if (outside.length > 0) {
    findings.error('tls-ca-excludes-name', 'secrets/ca.crt', `secrets/ca.crt's name constraints (permitted: ${nc.permittedDns.join(', ') || 'any'}${nc.excludedDns.length > 0 ? `; excluded: ${nc.excludedDns.join(', ')}` : ''}) leave out ${outside.join(', ')}: every client refuses the proxy's certificate for ${outside.length === 1 ? 'that name' : 'those names'} (OpenSSL: "permitted subtree violation", or "excluded subtree violation"). ${remedy}`);
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
  codes: ['tls-ca-missing', 'tls-ca-invalid', 'tls-ca-unconstrained', 'tls-ca-excludes-name', 'tls-ca-key-shared', 'tls-client-untrusted', 'tls-client-unknown-route'],
  check(lab, findings) {
    const internal = tlsMode(lab) === 'internal-ca';
    if (internal && lab.hosts.some(isVmHost)) {
      if (lab.caCertificate === undefined) {
        findings.warning('tls-ca-missing', 'secrets/ca.crt', "the lab uses its own CA, but none is recorded: no VM's vendor data can trust it (cloud-init ca_certs, Docker's certs.d), so every client inside the lab refuses the proxy's certificate. Run `homelab secret ca-init`, commit secrets/ca.crt, and build again.");
      } else {
        const problem = caProblem(lab.caCertificate);
        if (problem) findings.error('tls-ca-invalid', 'secrets/ca.crt', `secrets/ca.crt cannot be the lab's CA: ${problem}. Every VM would trust it in place of the CA that signs the proxy's certificate. Restore the file \`homelab secret ca-init\` wrote.`);
        else checkCaConstraints(lab, lab.caCertificate, findings);
      }
      if ((lab.caKeyRecipients ?? 0) > 1) {
        findings.warning('tls-ca-key-shared', `secrets/${CA_KEY_SECRET}.age`, `secrets/${CA_KEY_SECRET}.age is encrypted to ${lab.caKeyRecipients} recipients: each of their identities (CI's, when its recipient is among them) can sign certificates the lab's devices trust. Only the one who issues needs it: re-encrypt it to your recipient alone (\`age -d -i <your identity file> secrets/${CA_KEY_SECRET}.age | age -a -r <your age1...> > ${CA_KEY_SECRET}.new && mv ${CA_KEY_SECRET}.new secrets/${CA_KEY_SECRET}.age\`), as \`homelab secret ca-init\` now writes it.`);
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
