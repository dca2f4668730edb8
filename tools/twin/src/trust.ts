import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** Where Debian's ca-certificates keeps the bundle every OpenSSL, curl and Go client reads. */
export const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The parts of a VM's vendor data the twin applies as cloud-init would. */
export interface VendorTrust {
  readonly ca_certs?: { readonly trusted?: readonly string[]; readonly remove_defaults?: boolean };
  readonly write_files?: readonly { readonly path: string; readonly content: string }[];
}

/** The VM's vendor data (the one `*-vendor.yaml` snippet of its dist), parsed. */
export function readVendorData(distDir: string): VendorTrust & Record<string, unknown> {
  const dir = join(distDir, 'proxmox', 'snippets');
  const name = readdirSync(dir).find((f) => f.endsWith('-vendor.yaml'));
  if (!name) throw new Error(`twin: no vendor snippet in ${dir}`);
  return parse(readFileSync(join(dir, name), 'utf8')) as VendorTrust & Record<string, unknown>;
}

/**
 * The bundle a Debian 12 VM has after its first boot, built from its vendor data exactly as
 * cloud-init's cc_ca_certs does there (cloud-init 22.4.2, Debian 12's package 22.4.2-1+deb12u4,
 * cloudinit/config/cc_ca_certs.py, read 2026-12-07): the `trusted` certificates joined by newlines
 * into one file (/usr/share/ca-certificates/cloud-init-ca-certs.crt) that is listed last in
 * /etc/ca-certificates.conf, then `update-ca-certificates`, which appends each listed file to the
 * bundle after the distribution's own; `remove_defaults: true` first unlists the distribution's.
 * Without `ca_certs` the VM keeps the distribution's bundle as it is.
 */
export function vmTrustBundle(vendor: VendorTrust, systemBundle: string): string {
  const trusted = vendor.ca_certs?.trusted ?? [];
  const defaults = vendor.ca_certs?.remove_defaults ? '' : systemBundle;
  if (trusted.length === 0) return defaults;
  const added = trusted.map(String).join('\n');
  const sep = defaults === '' || defaults.endsWith('\n') ? '' : '\n';
  return `${defaults}${sep}${added}${added.endsWith('\n') ? '' : '\n'}`;
}

/** Docker's per-registry CA files in the vendor data: `/etc/docker/certs.d/<host[:port]>/ca.crt` -> its PEM. */
export function dockerCertsD(vendor: VendorTrust): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of vendor.write_files ?? []) {
    const m = /^\/etc\/docker\/certs\.d\/([^/]+)\/ca\.crt$/.exec(f.path);
    if (m) out.set(m[1]!, f.content);
  }
  return out;
}
