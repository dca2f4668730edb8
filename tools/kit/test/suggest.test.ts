import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../src/common/suggest.js';

describe('did you mean', () => {
  it.each([
    ['vm-media', 'vm-media', 0],
    ['vm-medai', 'vm-media', 2],
    ['vm-medi', 'vm-media', 1],
    ['', 'abc', 3],
  ])('edit distance %s -> %s is %i', (a, b, d) => expect(editDistance(a, b)).toBe(d));

  const hosts = ['lxc-dns', 'lxc-smb', 'lxc-vpn', 'pve', 'vm-apps', 'vm-dev', 'vm-games', 'vm-infra', 'vm-media'];
  it.each([
    ['vm-medai', 'vm-media'],
    ['vm-game', 'vm-games'],
    ['VM-INFRA', 'vm-infra'],
    ['lxc-dsn', 'lxc-dns'],
    ['pev', 'pve'],
  ])('%s -> %s', (typo, host) => expect(closest(typo, hosts)).toBe(host));

  it('suggests nothing for a name far from every host', () => {
    expect(closest('nextcloud', hosts)).toBeUndefined();
    expect(closest('x', [])).toBeUndefined();
  });
});
