import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caNameConstraints, inDnsSubtree } from '../src/internal.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'tls', name), 'utf8');

describe('a CA certificate\'s name constraints', () => {
  it('reads the permitted DNS subtrees and the excluded addresses', () => {
    expect(caNameConstraints(fixture('ca.crt'))).toEqual({ critical: true, permittedDns: ['home.arpa', 'local'], excludedDns: [], excludedIp: ['0.0.0.0/0', '::/0'] });
  });
  it('is undefined for a CA without them, and throws on text that is no certificate', () => {
    expect(caNameConstraints(fixture('ca-unconstrained.crt'))).toBeUndefined();
    expect(() => caNameConstraints('not a certificate')).toThrow();
  });
  it('places a name in a subtree as RFC 5280 does: labels added on the left, never inside a label', () => {
    expect(inDnsSubtree('grafana.local', 'local')).toBe(true);
    expect(inDnsSubtree('local', 'local')).toBe(true);
    expect(inDnsSubtree('a.b.home.arpa', 'home.arpa')).toBe(true);
    expect(inDnsSubtree('GRAFANA.Local.', 'local')).toBe(true);
    expect(inDnsSubtree('grafana.notlocal', 'local')).toBe(false);
    expect(inDnsSubtree('grafana.local.example', 'local')).toBe(false);
    expect(inDnsSubtree('local', '.local')).toBe(false);
    expect(inDnsSubtree('grafana.local', '.local')).toBe(true);
  });
});
