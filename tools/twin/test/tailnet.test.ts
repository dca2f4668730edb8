import { describe, expect, it } from 'vitest';
import { approvedRoutes, lastUp, memberRules, tailnetRuleset } from '../src/tailnet.js';

const routes = ['192.168.0.0/24'];

describe("the twin's tailnet: what a member's device gets from a policy", () => {
  it('takes the grants to everyone and to the members, within the routes', () => {
    const policy = {
      grants: [
        { src: ['autogroup:member'], dst: ['192.168.0.20'], ip: ['tcp:443', 'tcp:80'] },
        { src: ['*'], dst: ['192.168.0.0/25'], ip: ['udp:53'] },
        { src: ['autogroup:member'], dst: ['10.0.0.0/8'], ip: ['*'] },
      ],
    };
    expect(memberRules(policy, routes)).toEqual([
      { dst: '192.168.0.20/32', proto: 'tcp', ports: '443' },
      { dst: '192.168.0.20/32', proto: 'tcp', ports: '80' },
      { dst: '192.168.0.0/25', proto: 'udp', ports: '53' },
    ]);
  });

  it('gives a member nothing of a grant to a group, a tag, the admins or a user', () => {
    const policy = { grants: ['group:family', 'tag:ci', 'autogroup:admin', 'alice@example.com'].map((src) => ({ src: [src], dst: ['*'], ip: ['*'] })) };
    expect(memberRules(policy, routes)).toEqual([]);
  });

  it('reads Tailscale\'s default policy as every route, every port', () => {
    expect(memberRules({ grants: [{ src: ['*'], dst: ['*'], ip: ['*'] }] }, routes)).toEqual([{ dst: '192.168.0.0/24', proto: 'any', ports: '*' }]);
  });

  it('takes a bare port as any protocol, and a range', () => {
    expect(memberRules({ grants: [{ src: ['*'], dst: ['192.168.0.23'], ip: ['25565-25664'] }] }, routes)).toEqual([{ dst: '192.168.0.23/32', proto: 'any', ports: '25565-25664' }]);
  });

  it.each([
    [{ acls: [{ action: 'accept', src: ['*'], dst: ['*:*'] }] }, /not "acls"/],
    [{ grants: [{ src: ['*'], dst: ['*'] }] }, /application grant/],
    [{ grants: [{ src: ['*'], dst: ['nas:445'], ip: ['*'] }] }, /destination the twin's tailnet does not read/],
    [{ grants: [{ src: ['192.168.0.5'], dst: ['*'], ip: ['*'] }] }, /source the twin's tailnet does not read/],
    [{ grants: [{ src: ['*'], dst: ['*'], ip: ['icmp:*'] }] }, /tcp and udp only/],
    [{ grants: [{ src: ['*'], dst: ['*'], ip: ['tcp:http'] }] }, /not a port/],
  ])('refuses what it does not read, by name: %j', (policy, message) => {
    expect(() => memberRules(policy, routes)).toThrow(message);
  });
});

describe('what deploy ran on the router', () => {
  it('is the last `tailscale up`: its routes and SNAT (on unless it says false)', () => {
    const record = 'tailscale up --reset --advertise-routes=10.0.0.0/24\ntailscale status\ntailscale up --reset --auth-key=file:/x --advertise-routes=192.168.0.0/24,10.1.0.0/16 --advertise-tags=tag:lab-router --snat-subnet-routes=false\n';
    expect(lastUp(record)).toEqual({ routes: ['192.168.0.0/24', '10.1.0.0/16'], tags: ['tag:lab-router'], snat: false });
    expect(lastUp('tailscale up --advertise-routes=192.168.0.0/24\n')).toEqual({ routes: ['192.168.0.0/24'], tags: [], snat: true });
    expect(lastUp('tailscale version\n')).toBeUndefined();
  });
});

describe("the router's filter", () => {
  it('drops what is outside the routes or not granted, and masquerades only with SNAT on', () => {
    const text = tailnetRuleset('tailscale0', [{ dst: '192.168.0.20/32', proto: 'tcp', ports: '443' }], routes, true, '100.64.0.0/10');
    expect(text).toContain('iifname "tailscale0" ip daddr != { 192.168.0.0/24 } drop');
    expect(text).toContain('iifname "tailscale0" ip daddr 192.168.0.20/32 meta l4proto tcp th dport 443 accept');
    // The same filter on what is forwarded and on what is addressed to the router itself.
    expect(text.trimEnd().split('\n').filter((l) => /iifname "tailscale0" drop$/.test(l))).toHaveLength(2);
    const chains = Object.fromEntries(text.split('\tchain ').slice(1).map((c) => [c.split(' ')[0], c]));
    for (const hook of ['forward', 'input']) expect(chains[hook], hook).toContain('iifname "tailscale0" ip daddr 192.168.0.20/32 meta l4proto tcp th dport 443 accept');
    expect(text).toContain('ip saddr 100.64.0.0/10 oifname "eth0" masquerade');
    expect(tailnetRuleset('tailscale0', [], routes, false, '100.64.0.0/10')).not.toContain('masquerade');
  });
});

describe('what the control plane makes of the router under a policy', () => {
  const up = { routes: ['192.168.0.0/24', '10.1.0.0/16'], tags: ['tag:lab-router'] };
  const owners = { tagOwners: { 'tag:lab-router': ['autogroup:admin'] } };

  it('uses a route only when autoApprovers approves it by one of the node\'s tags (a prefix holding it will do)', () => {
    expect(approvedRoutes({ ...owners, autoApprovers: { routes: { '192.168.0.0/24': ['tag:lab-router'] } } }, up)).toEqual(['192.168.0.0/24']);
    expect(approvedRoutes({ ...owners, autoApprovers: { routes: { '10.0.0.0/8': ['tag:lab-router'], '192.168.0.0/24': ['group:admins'] } } }, up)).toEqual(['10.1.0.0/16']);
    expect(approvedRoutes({ ...owners, autoApprovers: { routes: { '192.168.0.0/25': ['tag:lab-router'] } } }, up)).toEqual([]);
    expect(approvedRoutes(owners, up)).toEqual([]);
  });

  it('refuses a tag the policy does not define, as Tailscale refuses the node', () => {
    expect(() => approvedRoutes({ autoApprovers: { routes: { '192.168.0.0/24': ['tag:lab-router'] } } }, up)).toThrow(/requested tags \[tag:lab-router\] are invalid or not permitted/);
    expect(approvedRoutes({}, { routes: ['192.168.0.0/24'], tags: [] })).toEqual([]);
  });
});
