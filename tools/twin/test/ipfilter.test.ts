import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipfilterRuleset, ipfilterSources, type GuestPort } from '../src/ipfilter.js';

const golden = (pkg: string, path: string) => readFileSync(join(import.meta.dirname, '..', '..', '..', 'packages', pkg, 'test', 'golden', path), 'utf8');
const cluster = golden('pve', 'firewall/cluster.fw');
const vmMedia: GuestPort = { name: 'vm-media', port: 'p1', kind: 'vm', conf: golden('vm-media', 'proxmox/122.conf'), fw: golden('pve', 'firewall/122.fw') };
const lxcDns: GuestPort = { name: 'lxc-dns', port: 'p2', kind: 'ct', conf: golden('lxc-dns', 'proxmox/111.conf'), fw: golden('pve', 'firewall/111.fw') };

describe('pve-firewall\'s ipfilter, read from the files the node holds', () => {
  it('the lab\'s guests may send only from their own address', () => {
    expect(ipfilterSources(cluster, vmMedia)).toEqual(['192.168.0.22']);
    expect(ipfilterSources(cluster, lxcDns)).toEqual(['192.168.0.11']);
  });

  it('filters nothing where pve-firewall would not: no ipfilter and no ipfilter-net0 set, a NIC without firewall=1, the datacenter firewall off, the guest\'s off', () => {
    const noFilter = vmMedia.fw.replace(/^ipfilter: 1\n/m, '').replace(/^\[IPSET ipfilter-net0\][^[]*/m, '');
    expect(ipfilterSources(cluster, { ...vmMedia, fw: noFilter })).toBeUndefined();
    expect(ipfilterSources(cluster, { ...vmMedia, conf: vmMedia.conf.replace(',firewall=1', '') })).toBeUndefined();
    expect(ipfilterSources(cluster.replace(/^enable: 1$/m, 'enable: 0'), vmMedia)).toBeUndefined();
    expect(ipfilterSources(cluster, { ...vmMedia, fw: vmMedia.fw.replace(/^enable: 1$/m, 'enable: 0') })).toBeUndefined();
  });

  it('an ipfilter-net0 set alone filters too, and a container\'s configured ip= is implicitly in it', () => {
    const setOnly = lxcDns.fw.replace(/^ipfilter: 1\n/m, '').replace(/^192\.168\.0\.11$/m, '192.168.0.99');
    expect(ipfilterSources(cluster, { ...lxcDns, fw: setOnly })).toEqual(['192.168.0.11', '192.168.0.99']);
  });

  it('drops what enters the bridge from a filtered port with another IPv4 or ARP source', () => {
    const noFilter = { ...lxcDns, fw: lxcDns.fw.replace(/^ipfilter: 1\n/m, '').replace(/^\[IPSET ipfilter-net0\][^[]*/m, '') };
    const { ruleset, filtered } = ipfilterRuleset(cluster, [vmMedia, noFilter]);
    expect(filtered).toEqual(['vm-media']);
    expect(ruleset).toContain('elements = { 192.168.0.22 }');
    expect(ruleset).toContain('iifname "p1" ether type ip ip saddr != @g0 drop');
    expect(ruleset).toContain('iifname "p1" ether type arp arp saddr ip != @g0 drop');
    expect(ruleset).not.toContain('"p2"');
  });
});
