import { describe, expect, it } from 'vitest';
import { defineHost, defineService, secret, validateLab, type DatasetRef, type HostDef, type Lab, type LabFacts, type ServiceDef, type VmHostDef } from '../src/internal.js';
import { changed, realLab, vm, web } from './fixtures.js';

const base = defineHost(vm, { services: [web] }) as VmHostDef;
const dataset = (name: string): DatasetRef => ({ kind: 'dataset', pool: 'tank', name });

/** The fixture VM changed in some fields, beside other hosts, on the real lab's facts (or changed ones). */
function labWith(change: Record<string, unknown>, others: HostDef[] = [], facts: Partial<LabFacts> = {}): Lab {
  return { facts: { ...realLab.facts, ...facts }, hosts: [{ ...base, ...change } as VmHostDef, ...others] };
}

const other = (change: Record<string, unknown>): HostDef => ({ ...base, name: 'vm-other', vmid: 151, address: '192.168.0.23', ...change }) as HostDef;
const errors = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'error');
const ELEVEN = ['media', 'media/user', 'media/movies', 'media/shows', 'services', 'services/infra', 'services/monitoring', 'services/apps', 'services/media', 'services/downloads', 'services/dev'];

// Each row breaks one thing of the VM's Proxmox definition and names the finding it must produce.
const cases: { name: string; lab: Lab; code: string; path: string }[] = [
  { name: 'a name that is not a DNS name', lab: labWith({ name: 'vm_dev' }), code: 'qemu-name-invalid', path: 'vm_dev/name' },
  { name: 'no cores', lab: labWith({ cores: 0 }), code: 'qemu-cores-invalid', path: 'vm-dev/cores' },
  { name: 'fractional cores', lab: labWith({ cores: 1.5 }), code: 'qemu-cores-invalid', path: 'vm-dev/cores' },
  { name: 'memory below 16 MiB', lab: labWith({ memoryMiB: 8 }), code: 'qemu-memory-invalid', path: 'vm-dev/memoryMiB' },
  { name: 'a fractional disk size', lab: labWith({ diskGiB: 8.5 }), code: 'qemu-disk-invalid', path: 'vm-dev/diskGiB' },
  { name: 'a disk storage id with a space', lab: labWith({ disk: { storage: 'local zfs' } }), code: 'qemu-storage-invalid', path: 'vm-dev/disk.storage' },
  { name: 'a one-letter snippets storage', lab: labWith({ cloudInit: { ...vm.cloudInit, snippets: { storage: 'x', path: '/x' } } }), code: 'qemu-storage-invalid', path: 'vm-dev/cloudInit.snippets' },
  { name: 'a tag with a space', lab: labWith({ tags: ['ok', 'bad tag'] }), code: 'qemu-tag-invalid', path: 'vm-dev/tags[1]' },
  { name: 'a negative start-up order', lab: labWith({ startup: { order: -1 } }), code: 'qemu-startup-invalid', path: 'vm-dev/startup.order' },
  { name: 'a fractional start-up delay', lab: labWith({ startup: { order: 1, up: 1.5 } }), code: 'qemu-startup-invalid', path: 'vm-dev/startup.up' },
  { name: 'a description too long', lab: labWith({ description: 'x'.repeat(9000) }), code: 'qemu-description-too-long', path: 'vm-dev/description' },
  { name: 'the broadcast address', lab: labWith({ address: '192.168.0.255' }), code: 'qemu-ipconfig-invalid', path: 'vm-dev/address' },
  { name: 'the network address', lab: labWith({ address: '192.168.0.0' }), code: 'qemu-ipconfig-invalid', path: 'vm-dev/address' },
  { name: 'a subnet prefix Proxmox refuses', lab: labWith({ address: '10.0.0.5' }, [], { network: { ...realLab.facts.network, subnet: '10.0.0.0/6' } }), code: 'qemu-ipconfig-invalid', path: 'vm-dev/address' },
  { name: 'a bridge Proxmox cannot name', lab: labWith({}, [], { network: { ...realLab.facts.network, bridge: 'vmbr 0' } }), code: 'qemu-bridge-invalid', path: 'shared/network/bridge' },
  { name: 'a multicast MAC address', lab: labWith({ mac: '01:00:5E:00:00:01' }), code: 'qemu-mac-invalid', path: 'vm-dev/mac' },
  { name: 'a MAC address another VM has', lab: labWith({ mac: 'BC:24:11:00:00:01' }, [other({ mac: 'bc:24:11:00:00:01' })]), code: 'qemu-mac-duplicate', path: 'vm-other/mac' },
  { name: 'more datasets than virtiofs devices', lab: labWith({ storage: ELEVEN.map(dataset) }), code: 'qemu-virtiofs-limit', path: 'vm-dev/storage' },
  { name: 'a dataset shared twice', lab: labWith({ storage: [dataset('services/dev'), dataset('services/dev')] }), code: 'qemu-virtiofs-invalid', path: 'vm-dev/storage[1]' },
  { name: 'no SSH keys', lab: labWith({ cloudInit: {} }), code: 'qemu-ssh-keys-missing', path: 'vm-dev/cloudInit.sshKeys' },
  { name: 'SSH keys under a bad secret name', lab: labWith({ cloudInit: { sshKeys: secret('Admin Keys') } }), code: 'secret-name-invalid', path: 'vm-dev/cloudInit.sshKeys' },
  { name: 'a user the guest cannot create', lab: labWith({ cloudInit: { ...vm.cloudInit, user: 'Admin User' } }), code: 'qemu-ciuser-invalid', path: 'vm-dev/cloudInit.user' },
  { name: 'a package name Debian cannot have', lab: labWith({ cloudInit: { ...vm.cloudInit, packages: ['docker.io', 'Docker CE'] } }), code: 'qemu-package-invalid', path: 'vm-dev/cloudInit.packages[1]' },
];

describe('the lab-wide rules, not these, report vmids, nodes and unknown datasets', () => {
  it.each([
    { lab: labWith({ vmid: 99 }), code: 'vmid-invalid' },
    { lab: labWith({ node: 'pve2' }), code: 'node-unknown' },
    { lab: labWith({ storage: [dataset('services/nope')] }), code: 'dataset-unknown' },
  ])('$code, once', ({ lab, code }) => {
    const found = errors(lab);
    expect(found.map((f) => f.code)).toContain(code);
    expect(found.filter((f) => f.code.startsWith('qemu-'))).toEqual([]);
  });
});

describe('the fixture VM', () => {
  it('has no errors, and no warning about its Proxmox definition', () => {
    const found = validateLab(labWith({}));
    expect(found.filter((f) => f.severity === 'error' || f.code.startsWith('qemu-'))).toEqual([]);
  });
});

describe('every VM rule fails on its example', () => {
  it.each(cases)('$name -> $code at $path', ({ lab, code, path }) => {
    const found = errors(lab);
    expect(found.map((f) => [f.code, f.path])).toContainEqual([code, path]);
    expect(found.find((f) => f.code === code && f.path === path)!.message.length).toBeGreaterThan(20);
  });

  it('warns when no cloud image is named for the disk', () => {
    const found = validateLab(labWith({ disk: {} }));
    expect(found).toContainEqual(expect.objectContaining({ code: 'qemu-image-missing', severity: 'warning', path: 'vm-dev/disk.importFrom' }));
  });
});

const gameServers = (ports: object[]): ServiceDef => defineService({ name: 'games', image: 'ghcr.io/pelican/wings:v1.0.0-beta29', imageFacts: { user: '0:0', ships: [], source: 'https://example.com/Dockerfile' }, allocations: ports as never });
const hostNetwork = (listen: number[]): ServiceDef => defineService({ name: 'hostnet', image: 'quay.io/prometheus/node-exporter:v1.12.1', imageFacts: { user: '0:0', ships: [], source: 'https://example.com/Dockerfile' }, networkMode: 'host', listen });
const withServices = (services: ServiceDef[]) => labWith({ services });

// The ports rule counts what a service allocates itself and what a host-network service listens on.
describe('host ports beyond compose', () => {
  it.each([
    { name: 'an allocation range over a published port', lab: withServices([web, gameServers([{ target: '8000-8100' }])]), path: 'vm-dev/games/allocations[0]' },
    { name: 'a published port inside an allocation range', lab: withServices([gameServers([{ target: '8000-8100' }]), web]), path: 'vm-dev/web/ports[0]' },
    { name: 'a host-network listener on a published port', lab: withServices([web, hostNetwork([8081])]), path: 'vm-dev/hostnet/listen[0]' },
  ])('$name -> port-conflict at $path', ({ lab, path }) => {
    expect(errors(lab).map((f) => [f.code, f.path])).toContainEqual(['port-conflict', path]);
  });

  it('an impossible allocation range -> port-invalid', () => {
    expect(errors(withServices([gameServers([{ target: '30000-70000' }])])).map((f) => [f.code, f.path])).toContainEqual(['port-invalid', 'vm-dev/games/allocations[0]']);
  });

  it('the same range over tcp and udp, and a host-network port nobody publishes, are fine', () => {
    const lab = withServices([web, gameServers([{ target: '25565-25664', exposure: 'lan', reason: 'players' }, { target: '25565-25664', protocol: 'udp', exposure: 'lan', reason: 'players' }]), hostNetwork([9100])]);
    expect(errors(lab)).toEqual([]);
  });

  it('a service in its own namespace may listen where a host-network one does', () => {
    expect(errors(withServices([changed(web, { listen: [80, 9100] }), hostNetwork([9100])]))).toEqual([]);
  });
});
