import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderCloudInit, type Lab } from '@homelab/kit/internal';
import { realLab } from '../../kit/test/fixtures.js';
import { dockerCertsD, vmTrustBundle } from '../src/trust.js';

const CA = readFileSync(join(import.meta.dirname, '..', '..', 'kit', 'test', 'fixtures', 'tls', 'ca.crt'), 'utf8');
const DEBIAN = '-----BEGIN CERTIFICATE-----\nDEBIAN-ROOT\n-----END CERTIFICATE-----\n';

describe("a VM's trust store, as cloud-init's cc_ca_certs makes it", () => {
  it('appends the trusted certificates after Debian\'s bundle, each file ending in a newline', () => {
    expect(vmTrustBundle({ ca_certs: { trusted: ['A', 'B\n'] } }, DEBIAN)).toBe(`${DEBIAN}A\nB\n`);
    expect(vmTrustBundle({ ca_certs: { trusted: ['A'] } }, 'X')).toBe('X\nA\n');
  });

  it('keeps Debian\'s bundle as it is without ca_certs, and drops it with remove_defaults', () => {
    expect(vmTrustBundle({}, DEBIAN)).toBe(DEBIAN);
    expect(vmTrustBundle({ ca_certs: { trusted: ['A'], remove_defaults: true } }, DEBIAN)).toBe('A\n');
  });

  it('reads Docker\'s certs.d files from write_files, by registry host', () => {
    const certs = dockerCertsD({ write_files: [{ path: '/etc/docker/certs.d/registry.local/ca.crt', content: 'P' }, { path: '/etc/docker/certs.d/x/client.cert', content: 'no' }, { path: '/etc/x', content: 'no' }] });
    expect([...certs]).toEqual([['registry.local', 'P']]);
  });

  it('on the rendered vendor data of a lab with a CA: every VM trusts it and Docker trusts it for the registry', () => {
    const lab: Lab = { ...realLab, caCertificate: CA };
    for (const host of lab.hosts.filter((h) => h.kind === 'vm')) {
      const vendor = parse(renderCloudInit(lab, host)[0]!.content) as Parameters<typeof vmTrustBundle>[0];
      expect(vmTrustBundle(vendor, DEBIAN).endsWith(CA.endsWith('\n') ? CA : `${CA}\n`), host.name).toBe(true);
      expect([...dockerCertsD(vendor).keys()], host.name).toEqual(['registry.home.arpa', 'registry.local']);
    }
  });
});
