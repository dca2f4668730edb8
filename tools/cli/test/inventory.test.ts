import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkspace, type Workspace } from '@homelab/testing';
import { homelab } from './run-cli.js';

let ws: Workspace;
beforeAll(() => {
  ws = makeWorkspace(['vm-media', 'vm-games', 'lxc-dns']);
});
afterAll(() => ws.remove());

describe('homelab inventory', { timeout: 30_000 }, () => {
  it('--json prints one document with every host: vmid, address, size, datasets, services', () => {
    const r = homelab(ws.root, 'inventory', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.hosts.map((h: { name: string }) => h.name)).toEqual(['lxc-dns', 'vm-games', 'vm-media']);
    const media = doc.hosts[2];
    expect(media).toMatchObject({ kind: 'vm', vmid: 122, node: 'pve', address: '192.168.0.22', cores: 4, memoryMiB: 6144, diskGiB: 64 });
    expect(media.datasets).toContain('tank/services/media');
    const jellyfin = media.services.find((s: { name: string }) => s.name === 'jellyfin');
    expect(jellyfin.route).toMatchObject({ url: 'https://jellyfin.local', port: 8096, access: 'public' });
    expect(jellyfin.ports).toContain('192.168.0.22:8096->8096/tcp');
    const wings = doc.hosts[1].services.find((s: { name: string }) => s.name === 'wings');
    expect(wings.allocations).toContain('192.168.0.23:25565-25664->25565-25664/udp');
    expect(doc.hosts[0]).toMatchObject({ kind: 'lxc', vmid: 111, services: [], daemons: [{ name: 'adguard', kind: 'adguard' }, { name: 'node-exporter', kind: 'node-exporter' }] });
    expect(doc.totals).toEqual({ cores: 13, memoryMiB: 31232, diskGiB: 196 });
  });

  it('prints the same for a person, and filters by host', () => {
    const r = homelab(ws.root, 'inventory', 'vm-media');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('vm-media  vm 122 on pve  192.168.0.22  4 cores  6 GiB RAM  64 GiB disk');
    expect(r.stdout).toContain('https://jellyfin.local -> :8096 (public)');
    expect(r.stdout).not.toContain('vm-games');
  });

  it('exits 2 on an unknown host', () => {
    expect(homelab(ws.root, 'inventory', 'vm-nope').code).toBe(2);
  });
});
