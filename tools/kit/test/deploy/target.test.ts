import { describe, expect, it } from 'vitest';
import { DEPLOY_DEFAULTS, dockerCommandFor, envPrefix, fingerprint, hostContextTarget, isComposeV1, normalizeFingerprint, resolveTarget, sameFingerprint } from '../../src/internal.js';
import { labWith, realLab, vm } from '../fixtures.js';

describe('where deploy connects', () => {
  it('takes the model, then HOMELAB_DEPLOY_<HOST>_* variables, then flags, over the defaults', () => {
    const model = { user: 'deploy', port: 2200, hostKey: 'SHA256:model', composeCommand: 'docker-compose', releaseRoot: '/srv/releases', keepReleases: 3 };
    const plain = resolveTarget('vm-media', '192.168.0.22', undefined, 'ssh', {});
    expect(plain).toMatchObject({ address: '192.168.0.22', port: 22, user: 'root', composeCommand: 'docker compose', dockerCommand: 'docker', releaseRoot: '/opt/homelab', keepReleases: 5, healthTimeoutSeconds: 120, via: 'ssh' });
    expect(plain.hostKey).toBeUndefined();
    expect(resolveTarget('vm-media', '192.168.0.22', model, 'ssh', {})).toMatchObject({ user: 'deploy', port: 2200, hostKey: 'SHA256:model', hostKeyFrom: 'deploy.hostKey of vm-media', composeCommand: 'docker-compose', dockerCommand: 'docker', releaseRoot: '/srv/releases', keepReleases: 3 });
    const env = {
      HOMELAB_DEPLOY_VM_MEDIA_ADDRESS: '127.0.0.1',
      HOMELAB_DEPLOY_VM_MEDIA_PORT: '2222',
      HOMELAB_DEPLOY_VM_MEDIA_HOSTKEY: 'SHA256:env',
      HOMELAB_DEPLOY_VM_MEDIA_COMPOSE: 'env DOCKER_HOST=unix:///tmp/d.sock docker-compose',
      HOMELAB_DEPLOY_VM_MEDIA_ROOT: '/tmp/root',
      HOMELAB_DEPLOY_VM_MEDIA_KEEP: '2',
      HOMELAB_DEPLOY_VM_MEDIA_HEALTH_TIMEOUT: '30',
      HOMELAB_DEPLOY_KEY: '/keys/deploy',
    };
    expect(resolveTarget('vm-media', '192.168.0.22', model, 'ssh', env)).toMatchObject({
      address: '127.0.0.1',
      port: 2222,
      hostKey: 'SHA256:env',
      hostKeyFrom: 'HOMELAB_DEPLOY_VM_MEDIA_HOSTKEY',
      composeCommand: 'env DOCKER_HOST=unix:///tmp/d.sock docker-compose',
      dockerCommand: 'env DOCKER_HOST=unix:///tmp/d.sock docker',
      releaseRoot: '/tmp/root',
      keepReleases: 2,
      healthTimeoutSeconds: 30,
      keyFile: '/keys/deploy',
    });
    expect(resolveTarget('vm-media', '192.168.0.22', model, 'ssh', env, { port: '2022', hostKey: 'SHA256:flag', key: '/k' })).toMatchObject({ port: 2022, hostKey: 'SHA256:flag', hostKeyFrom: '--host-key', keyFile: '/k' });
    expect(DEPLOY_DEFAULTS.user).toBe('root');
  });

  it('takes the key itself from HOMELAB_SSH_KEY (CI) when no key file is named', () => {
    expect(resolveTarget('h', '10.0.0.1', undefined, 'ssh', { HOMELAB_SSH_KEY: 'KEY' })).toMatchObject({ keyText: 'KEY' });
    expect(resolveTarget('h', '10.0.0.1', undefined, 'ssh', { HOMELAB_SSH_KEY: 'KEY', HOMELAB_DEPLOY_KEY: '/f' }).keyText).toBeUndefined();
  });

  it('refuses a port that is not a number, and a machine without an address', () => {
    expect(() => resolveTarget('h', '10.0.0.1', undefined, 'ssh', { HOMELAB_DEPLOY_H_PORT: 'ssh' })).toThrow('the SSH port of h must be a positive whole number; got "ssh"');
    expect(() => resolveTarget('pve', undefined, undefined, 'ssh', {})).toThrow('pve has no address to deploy to; set it in the model or with HOMELAB_DEPLOY_PVE_ADDRESS');
  });

  it('names variables after the host, and knows compose v1 and the docker command that goes with it', () => {
    expect(envPrefix('vm-media')).toBe('HOMELAB_DEPLOY_VM_MEDIA_');
    expect(envPrefix('lxc.dns')).toBe('HOMELAB_DEPLOY_LXC_DNS_');
    expect(dockerCommandFor('docker compose')).toBe('docker');
    expect(dockerCommandFor('/usr/bin/docker-compose')).toBe('/usr/bin/docker');
    expect(dockerCommandFor('sudo docker compose')).toBe('sudo docker');
    expect(dockerCommandFor('podman-compose')).toBe('docker');
    expect(isComposeV1('docker-compose')).toBe(true);
    expect(isComposeV1('env DOCKER_HOST=x docker-compose')).toBe(true);
    expect(isComposeV1('docker compose')).toBe(false);
  });

  it('sends a container to its Proxmox node (pct), a VM to itself', () => {
    const lab = labWith([]);
    const host = { ...lab.hosts[0]!, kind: 'lxc' as const };
    const env = { HOMELAB_DEPLOY_PVE_ADDRESS: '127.0.0.1', HOMELAB_DEPLOY_PVE_PORT: '2200' };
    expect(hostContextTarget({ root: '/', lab, host, hostDir: '/', env })).toMatchObject({ name: 'pve', address: '127.0.0.1', port: 2200, via: 'proxmox' });
    expect(hostContextTarget({ root: '/', lab, host: lab.hosts[0]!, hostDir: '/', env: {} })).toMatchObject({ name: vm.name, address: vm.address, via: 'ssh' });
    expect(realLab.hosts.length).toBeGreaterThan(0);
  });
});

describe('host key fingerprints', () => {
  it('are what ssh-keygen -lf prints, compared however they were pasted', () => {
    // A throwaway key: `ssh-keygen -lf` printed SHA256:g0jR... for this public key line.
    const blob = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOs1+sdixXoMd2rtrUGymwUtpIcmA2w0JdivBgYKEaTh', 'base64');
    expect(fingerprint(blob)).toBe('SHA256:g0jRqdOjObSkKqYup3gNmrwl3BRzXpWYQcJYCjjKNiQ');
    expect(normalizeFingerprint(' g0jRqdOjObSkKqYup3gNmrwl3BRzXpWYQcJYCjjKNiQ= ')).toBe('SHA256:g0jRqdOjObSkKqYup3gNmrwl3BRzXpWYQcJYCjjKNiQ');
    expect(sameFingerprint('sha256:abc', 'SHA256:abc=')).toBe(true);
    expect(sameFingerprint('SHA256:abc', 'SHA256:abd')).toBe(false);
  });
});
