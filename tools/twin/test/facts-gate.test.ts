import { describe, expect, it } from 'vitest';
import type { HostDef } from '@homelab/kit/internal';
import { unverifiedStandins } from '../src/facts-gate.js';

const digest = `sha256:${'c'.repeat(64)}`;
const facts = { user: '999:999', ships: ['redis-cli'], source: 'https://example.org/Dockerfile' };
const vm = (name: string, services: object[]) => ({ name, kind: 'vm', services }) as unknown as HostDef;
const lab = [
  vm('vm-apps', [{ name: 'redis', image: `redis:8@${digest}`, imageFacts: { ...facts, verified: { digest, at: '2026-12-07' } } }]),
  vm('vm-media', [{ name: 'sonarr', image: 'lscr.io/linuxserver/sonarr:4', imageFacts: facts }]),
  { name: 'lxc-dns', kind: 'lxc', services: [] } as unknown as HostDef,
];

describe('the twin builds stand-ins only from verified facts, unless the run is marked unverified', () => {
  it('refuses a lab with a fact never verified, naming the service and the way out', () => {
    expect(() => unverifiedStandins(lab, undefined, false)).toThrow(/refusing to build stand-ins .*1 services; vm-media\/sonarr: its facts were never verified.*--unverified-facts/);
  });

  it('runs a lab whose facts are all verified at the pinned digest, and lists none', () => {
    expect(unverifiedStandins(lab, ['vm-apps'], false)).toEqual([]);
  });

  it('an unverified run lists each service and why, for its report', () => {
    expect(unverifiedStandins(lab, undefined, true)).toEqual(['vm-media/sonarr: its facts were never verified against the image (homelab images verify)']);
  });
});
