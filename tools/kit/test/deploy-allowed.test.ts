import { describe, expect, it } from 'vitest';
import { checkAllowedAddress, connectSsh } from '../src/deploy/connect/ssh.js';
import type { ResolvedTarget } from '../src/deploy/connect/target.js';

const target = (address: string) => ({ name: 'vm-media', address, port: 22, user: 'root', hostKey: 'SHA256:x', hostKeyFrom: 't' }) as unknown as ResolvedTarget;

// The guard that keeps every test off the lab's real addresses.
describe('HOMELAB_DEPLOY_ALLOWED_ADDRESSES', () => {
  it('refuses an address outside the list before connecting', async () => {
    expect(() => checkAllowedAddress(target('192.168.0.22'), { HOMELAB_DEPLOY_ALLOWED_ADDRESSES: '127.0.0.1' })).toThrow(/target-not-allowed|refusing to connect/);
    expect(() => checkAllowedAddress(target('127.0.0.1'), { HOMELAB_DEPLOY_ALLOWED_ADDRESSES: '127.0.0.1' })).not.toThrow();
    expect(() => checkAllowedAddress(target('192.168.0.22'), {})).not.toThrow();
  });

  it('is in force in this test tier, so connectSsh never reaches a lab address', async () => {
    expect(process.env.HOMELAB_DEPLOY_ALLOWED_ADDRESSES).toBe('127.0.0.1');
    await expect(connectSsh(target('192.168.0.2'))).rejects.toMatchObject({ code: 'target-not-allowed' });
  });
});
