import { describe, expect, it } from 'vitest';
import { mountedDatasets, routesDiagram, topologyDiagram } from '../src/docs/topology.js';
import { labRoutes } from '../src/model/routes.js';
import { realLab } from './fixtures.js';

// The diagrams' source (tools/kit/test/lab-diagram.system.test.ts renders them in a browser).
describe("docs/lab.md's diagrams", () => {
  const topology = topologyDiagram(realLab).join('\n');

  it('topology: every host with its address, on its Proxmox node', () => {
    expect(topology).toMatch(/subgraph node_pve\["Proxmox node pve \(192\.168\.0\.\d+\)"\]/);
    for (const h of realLab.hosts) expect(topology).toContain(`["${h.name}<br/>${h.address}<br/>`);
  });

  it('topology: DNS, the proxy, Tailscale and the VPN path through Gluetun with what shares its network', () => {
    expect(topology).toContain('clients -->|"DNS :53 (adguard)"| lxc_dns');
    expect(topology).toContain('lxc_dns -.->|"route names → 192.168.0.20"| vm_infra');
    expect(topology).toContain('clients -->|"HTTPS :443 (traefik)"| vm_infra');
    expect(topology).toContain('tailnet((tailnet devices)) -->|"Tailscale (tailscale)"| lxc_vpn');
    const media = realLab.hosts.find((h) => h.name === 'vm-media')!;
    const behind = media.services.filter((s) => typeof s.networkMode === 'object' && 'service' in s.networkMode).map((s) => s.name).sort();
    expect(behind).toContain('qbittorrent');
    expect(topology).toContain(`vm_media_gluetun["gluetun on vm-media<br/><small>${behind.join(', ')}</small>"]`);
    expect(topology).toContain('vm_media_gluetun ==>|"VPN tunnel"| internet');
  });

  it('topology: the datasets each host mounts', () => {
    for (const h of realLab.hosts) {
      const datasets = mountedDatasets(h);
      if (datasets.length) expect(topology).toContain(`pool_pve -.->|"${datasets.join('<br/>')}"| ${h.name.replace(/-/g, '_')}`);
    }
    expect(mountedDatasets(realLab.hosts.find((h) => h.name === 'vm-media')!)).toContain('media/library');
  });

  it('routes: one edge per route, labelled with its name', () => {
    const routes = routesDiagram(realLab).join('\n');
    for (const r of labRoutes(realLab)) expect(routes).toMatch(new RegExp(`-->\\|"${r.fqdn.replace(/\./g, '\\.')}( \\(public\\))?"\\| r_`));
  });
});
