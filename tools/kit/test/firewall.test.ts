import { describe, expect, it } from 'vitest';
import { defineService, firewallPolicy, machineFlows, nftablesRuleset, sourceAddresses, validateLab, type Lab, type ServiceDef } from '../src/internal.js';
import { changed, labWith, realLab, web } from './fixtures.js';

const errors = (lab: Lab) => validateLab(lab).filter((f) => f.severity === 'error');
/** `port/protocol<-sources` of one machine's flows, for short assertions. */
const open = (lab: Lab, host: string) => machineFlows(lab, host).map((f) => `${f.port}/${f.protocol}<-${sourceAddresses(lab, f.from).join(',')}`);
const LAN = '192.168.0.0/24';
const INFRA = '192.168.0.20';
/** The plan's admin devices (the CI runner, the workstation): management is open from these only. */
const ADMINS = '192.168.0.5,192.168.0.6';

describe('the lab\'s policy', () => {
  it('lets the LAN reach only the declared entry points', () => {
    const fromLan = firewallPolicy(realLab).machines.flatMap(({ machine, flows }) =>
      flows.filter((f) => f.from === 'lan').map((f) => `${machine.name} ${f.port}/${f.protocol}`),
    );
    expect(fromLan.sort()).toEqual([
      'lxc-dns 53/tcp', 'lxc-dns 53/udp', 'lxc-smb 445/tcp', 'lxc-vpn 41641/udp',
      'pve 2049/tcp',
      'vm-games 2022/tcp', 'vm-games 25565-25664/tcp', 'vm-games 25565-25664/udp',
      'vm-infra 443/tcp', 'vm-infra 80/tcp',
      'vm-media 7359/udp',
    ].sort());
  });

  it('lets only the reverse proxy\'s host reach the backends, and only the metrics store\'s host reach the exporters', () => {
    // Robust to a service added behind the proxy (README, "Adding a service"): the LAN reaches
    // exactly Jellyfin's discovery, the admin devices SSH, everything else only vm-infra reaches.
    const media = open(realLab, 'vm-media');
    expect(media.filter((f) => f.endsWith(`<-${LAN}`))).toEqual([`7359/udp<-${LAN}`]);
    expect(media.filter((f) => f.endsWith(`<-${ADMINS}`))).toEqual([`22/tcp<-${ADMINS}`]);
    expect(media.filter((f) => !f.endsWith(`<-${LAN}`) && !f.endsWith(`<-${ADMINS}`)).filter((f) => !f.endsWith(`<-${INFRA}`))).toEqual([]);
    expect(media).toEqual(expect.arrayContaining([`8089/tcp<-${INFRA}`, `9100/tcp<-${INFRA}`, `8989/tcp<-${INFRA}`, `7878/tcp<-${INFRA}`, `9696/tcp<-${INFRA}`, `8080/tcp<-${INFRA}`, `8096/tcp<-${INFRA}`]));
    expect(open(realLab, 'vm-dev')).toContain(`8443/tcp<-${INFRA}`);
    expect(open(realLab, 'vm-games')).toContain(`8000/tcp<-${INFRA}`);
    expect(open(realLab, 'lxc-dns')).toContain(`80/tcp<-${INFRA}`);
  });

  it('opens each container\'s and the Proxmox host\'s node-exporter to the metrics store\'s host only', () => {
    for (const name of ['lxc-dns', 'lxc-vpn', 'lxc-smb', 'pve']) {
      const exporter = open(realLab, name).filter((f) => f.startsWith('9100/'));
      expect(exporter, name).toEqual([`9100/tcp<-${INFRA}`]);
    }
  });

  it('keeps SSH open from the admin devices where deploy goes over SSH, and not on containers deployed through the node', () => {
    for (const host of realLab.hosts) {
      expect(open(realLab, host.name).includes(`22/tcp<-${ADMINS}`), host.name).toBe(host.kind === 'vm');
      expect(open(realLab, host.name).some((f) => f.startsWith('22/tcp')), host.name).toBe(host.kind === 'vm');
    }
  });

  it('opens the node\'s SSH and web UI to the admin devices only, and its API to the host of the exporter that asks it', () => {
    expect(open(realLab, 'pve').filter((f) => f.startsWith('22/') || f.startsWith('8006/'))).toEqual([`22/tcp<-${ADMINS}`, `8006/tcp<-${ADMINS}`, `8006/tcp<-${INFRA}`]);
    expect(machineFlows(realLab, 'pve').find((f) => f.owner === 'proxmox-api')!.path).toBe('vm-infra/pve-exporter/metrics');
  });
});

// Each row breaks one thing and names the finding it must produce.
const games = (allocations: object[]): ServiceDef => defineService({ name: 'games', image: 'ghcr.io/pelican/wings:v1.0.0-beta29', allocations: allocations as never });
const cases: { name: string; lab: Lab; code: string; path: string }[] = [
  { name: 'a port with a reason that nothing reaches', lab: labWith([changed(web, { ports: [{ target: 80, published: 8081, reason: 'clients' }] })]), code: 'port-not-in-firewall', path: 'vm-dev/web/ports[0]' },
  { name: 'a udp port under a route\'s number', lab: labWith([changed(web, { ports: [{ target: 80, published: 8081, protocol: 'udp', reason: 'x' }], route: { host: 'web', port: 80, access: 'authenticated' } })]), code: 'port-not-in-firewall', path: 'vm-dev/web/ports[0]' },
  { name: 'game ports not declared LAN-facing', lab: labWith([games([{ target: '25565-25664', reason: 'players' }])]), code: 'port-not-in-firewall', path: 'vm-dev/games/allocations[0]' },
  { name: 'a network plan without admin devices: SSH open to the whole LAN', lab: { ...labWith([web]), facts: { ...labWith([web]).facts, network: { ...labWith([web]).facts.network, admins: [] } } }, code: 'mgmt-open-to-lan', path: 'vm-dev/deploy' },
  { name: 'a LAN-facing port without a reason', lab: labWith([changed(web, { ports: [{ target: 80, published: 8081, exposure: 'lan' }] })]), code: 'port-lan-without-reason', path: 'vm-dev/web/ports[0]' },
];

describe('every firewall rule fails on its example', () => {
  it.each(cases)('$name -> $code at $path', ({ lab, code, path }) => {
    const found = errors(lab);
    expect(found.map((f) => [f.code, f.path])).toContainEqual([code, path]);
    expect(found.find((f) => f.code === code && f.path === path)!.message.length).toBeGreaterThan(40);
  });
});

describe('what is allowed', () => {
  it('a port on loopback needs no firewall rule', () => {
    expect(errors(labWith([changed(web, { ports: [{ target: 80, published: 8081, bind: 'loopback' }] })]))).toEqual([]);
  });

  it('a host-network listener nothing reaches stays off the LAN without a finding', () => {
    const agent = defineService({ name: 'agent', image: 'quay.io/prometheus/node-exporter:v1.12.1', imageFacts: { user: '65534:65534', ships: [], source: 'https://github.com/prometheus/node_exporter/blob/master/Dockerfile' }, networkMode: 'host', listen: [9100] });
    const lab = labWith([web, agent]);
    expect(errors(lab)).toEqual([]);
    expect(open(lab, 'vm-dev')).not.toContain(`9100/tcp<-${LAN}`);
  });
});

describe('the nftables script', () => {
  it('carries every flow of the machine as an accept rule, and drops the rest', () => {
    for (const { machine, flows } of firewallPolicy(realLab).machines) {
      const script = nftablesRuleset(realLab, machine);
      for (const f of flows) {
        const sources = sourceAddresses(realLab, f.from);
        const saddr = sources.length === 1 ? sources[0] : `{ ${sources.join(', ')} }`;
        expect(script, machine.name).toContain(`ip saddr ${saddr} ${f.protocol} dport ${f.port} accept`);
      }
      expect(script.match(/ accept comment /g)?.length ?? 0, machine.name).toBe(flows.length);
      expect(script).toContain('type filter hook input priority filter; policy drop;');
      expect(script).toContain('type filter hook prerouting priority dstnat - 10; policy accept;');
    }
  });

  it('keeps comments to one line without double quotes', () => {
    const lab = labWith([changed(web, { ports: [{ target: 80, published: 8081, exposure: 'lan', reason: 'say "hi"\nto the LAN' }] })]);
    expect(nftablesRuleset(lab, 'vm-dev')).toContain(`comment "web: say 'hi' to the LAN"`);
  });
});
