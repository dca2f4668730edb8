import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, id_ce_nameConstraints, NameConstraints, type GeneralSubtrees } from '@peculiar/asn1-x509';

/** A CA certificate's name constraints (RFC 5280, 4.2.1.10), as far as the lab's rules read them. */
export interface CaNameConstraints {
  readonly critical: boolean;
  /** DNS subtrees a name below the CA must fall in (none: DNS names are not limited). */
  readonly permittedDns: readonly string[];
  readonly excludedDns: readonly string[];
  /** Address ranges excluded, as CIDR (0.0.0.0/0: every IPv4 address). */
  readonly excludedIp: readonly string[];
}

const dns = (subtrees: GeneralSubtrees | undefined) => [...(subtrees ?? [])].map((s) => s.base.dNSName).filter((n): n is string => n !== undefined);
const ips = (subtrees: GeneralSubtrees | undefined) => [...(subtrees ?? [])].map((s) => s.base.iPAddress).filter((n): n is string => n !== undefined);

/** The name constraints of a PEM certificate, or undefined when it has none. Throws on text that is no certificate. */
export function caNameConstraints(pem: string): CaNameConstraints | undefined {
  const cert = AsnConvert.parse(new X509Certificate(pem).raw, Certificate);
  const ext = cert.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_nameConstraints);
  if (!ext) return undefined;
  const nc = AsnConvert.parse(ext.extnValue, NameConstraints);
  return { critical: ext.critical, permittedDns: dns(nc.permittedSubtrees), excludedDns: dns(nc.excludedSubtrees), excludedIp: ips(nc.excludedSubtrees) };
}

/**
 * Whether a DNS name lies in a DNS subtree: the name itself, or the subtree with labels added on
 * the left (RFC 5280: "host.example.com" permits "www.host.example.com", not "bighost.example.com");
 * a leading dot (".example.com", OpenSSL's and NSS's reading) permits subdomains only.
 */
export function inDnsSubtree(name: string, subtree: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const t = subtree.toLowerCase().replace(/\.$/, '');
  if (t === '') return true;
  if (t.startsWith('.')) return n.endsWith(t);
  return n === t || n.endsWith(`.${t}`);
}
