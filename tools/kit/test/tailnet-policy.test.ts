import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { firewallPolicy, MANAGEMENT_OWNERS, parseHujson, renderHost, tailnetPolicySchema } from '../src/internal.js';
import { realLab } from './fixtures.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const check = ajv.compile(tailnetPolicySchema);

const router = realLab.hosts.find((h) => h.name === 'lxc-vpn')!;
const text = renderHost(realLab, router).artifacts.find((a) => a.kind === 'tailnet-policy')!.content;
const policy = parseHujson(text) as { grants: { src: string[]; dst: string[]; ip: string[] }[]; tagOwners: Record<string, string[]>; autoApprovers: { routes: Record<string, string[]> } };

describe('HuJSON, the tailnet policy\'s syntax', () => {
  it('takes comments and trailing commas, as JSON with them', () => {
    expect(parseHujson('// a\n{"a": [1, 2,], /* b */ "c": {"d": true,},}\n')).toEqual({ a: [1, 2], c: { d: true } });
  });

  it.each([
    ["{'a': 1}", 'single quotes'],
    ['{a: 1}', 'an unquoted key'],
    ['{"a": 1 "b": 2}', 'a missing comma'],
    ['', 'nothing'],
  ])('refuses %s (%s), which jsonc-parser alone would forgive', (bad) => {
    expect(() => parseHujson(bad)).toThrow(/line \d+: /);
  });
});

describe("the lab's tailnet policy (lxc-vpn)", () => {
  it("matches the policy file's documented keys and grammars", () => {
    expect(check(policy), JSON.stringify(check.errors, null, 2)).toBe(true);
  });

  it.each([
    ['an unknown top-level key', (p: any) => { p.rules = []; }],
    ['a tag whose name starts with a digit', (p: any) => { p.tagOwners['tag:1router'] = ['autogroup:admin']; }],
    ['a grant without dst', (p: any) => { delete p.grants[0].dst; }],
    ['a grant with an action (an ACL field)', (p: any) => { p.grants[0].action = 'accept'; }],
    ['a port written as 443/tcp', (p: any) => { p.grants[0].ip = ['443/tcp']; }],
    ['an unknown autoApprovers key', (p: any) => { p.autoApprovers.subnets = {}; }],
  ])('refuses %s', (_name, breakIt) => {
    const p = structuredClone(policy);
    breakIt(p);
    expect(check(p)).toBe(false);
  });

  it('grants the tailnet\'s members the reverse proxy and DNS, and nothing else', () => {
    expect(policy.grants).toEqual([
      { src: ['autogroup:member'], dst: ['192.168.0.20'], ip: ['tcp:443', 'tcp:80'] },
      { src: ['autogroup:member'], dst: ['192.168.0.11'], ip: ['tcp:53', 'udp:53'] },
    ]);
  });

  it('approves the router\'s route by its tag, which only admins may give', () => {
    expect(policy.tagOwners).toEqual({ 'tag:lab-router': ['autogroup:admin'] });
    expect(policy.autoApprovers.routes).toEqual({ '192.168.0.0/24': ['tag:lab-router'] });
  });

  it('grants only ports the firewall opens to the whole LAN, and never management', () => {
    const lan = new Set<string>();
    const management = new Set<string>();
    for (const { machine, flows } of firewallPolicy(realLab).machines) {
      for (const f of flows) {
        if (f.from === 'lan') lan.add(`${machine.address} ${f.protocol}:${f.port}`);
        if (MANAGEMENT_OWNERS.has(f.owner)) management.add(`${machine.address} ${f.protocol}:${f.port}`);
      }
    }
    const granted = policy.grants.flatMap((g) => g.dst.flatMap((d) => g.ip.map((ip) => `${d} ${ip}`)));
    expect(granted.filter((g) => !lan.has(g))).toEqual([]);
    expect(granted.filter((g) => management.has(g))).toEqual([]);
  });

  it('names each grant\'s service and reason in a comment', () => {
    expect(text).toMatch(/\/\/ traefik on vm-infra: every route of the lab/);
    expect(text).toMatch(/\/\/ adguard on lxc-dns: the lab's names/);
  });
});
