import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import {
  adguardConfigSchema, findRole, parseYaml, referenceProblems, renderHost, routedHosts, ruleProblems, traefikDynamicSchema,
} from '../src/internal.js';
import { realLab } from './fixtures.js';

// Traefik and AdGuard ship no schema here: their files are parsed back and checked against
// types written from their documentation, and against each other.
const ajv = new Ajv({ allErrors: true, strict: false });
const checkTraefik = ajv.compile(traefikDynamicSchema);
const checkAdguard = ajv.compile(adguardConfigSchema);

function artifact(kind: string): { host: string; doc: any } {
  for (const host of realLab.hosts) {
    const found = renderHost(realLab, host).artifacts.find((a) => a.kind === kind);
    if (found) return { host: host.name, doc: parseYaml(found.content) };
  }
  throw new Error(`no ${kind} artifact in the lab`);
}

const traefik = artifact('traefik');
const adguard = artifact('adguard');
const proxyAddress = findRole(realLab, 'reverse-proxy')!.host.address;

describe("Traefik's dynamic configuration", () => {
  it('matches the documented types', () => {
    expect(checkTraefik(traefik.doc), JSON.stringify(checkTraefik.errors, null, 2)).toBe(true);
  });

  it("its TLS section (the internal CA's certificate) matches the documented types too", () => {
    const tls = parseYaml(renderHost(realLab, realLab.hosts.find((h) => h.name === traefik.host)!).artifacts.find((a) => a.path.endsWith('/tls.yaml'))!.content);
    expect(checkTraefik(tls), JSON.stringify(checkTraefik.errors, null, 2)).toBe(true);
    expect(checkTraefik({ tls: { certificates: [{ certFile: '/etc/traefik/certs/lab.crt' }] } })).toBe(false);
    expect(checkTraefik({ tls: { stores: { default: { defaultCertificate: { certFile: 'a', keyFile: 'b', stores: ['x'] } } } } })).toBe(false);
  });

  it('uses v3 rules and defines every service and middleware a router names', () => {
    expect(referenceProblems(traefik.doc)).toEqual([]);
  });

  it.each([
    ['an unknown router key', (d: any) => { Object.values<any>(d.http.routers)[0].rules = 'x'; }],
    ['a server without url', (d: any) => { Object.values<any>(d.http.services)[0].loadBalancer.servers = [{ address: 'x' }]; }],
    ['two middleware types in one', (d: any) => { d.http.middlewares.authentik.redirectScheme = { scheme: 'https' }; }],
  ])('rejects %s', (_name, breakIt) => {
    const doc = structuredClone(traefik.doc);
    breakIt(doc);
    expect(checkTraefik(doc)).toBe(false);
  });

  it.each([
    ['Host(`a.local`, `b.local`)', 'one value'],
    ["Host('a.local')", 'backticks'],
    ['Hostname(`a.local`)', 'unknown matcher'],
    ['Host(`a.local`) & PathPrefix(`/x`)', 'joined'],
  ])('refuses the rule %s', (rule, problem) => {
    expect(ruleProblems(rule).join('; ')).toContain(problem);
  });

  it('reports a router naming a service that is not there', () => {
    const doc = structuredClone(traefik.doc);
    Object.values<any>(doc.http.routers)[0].service = 'nowhere';
    expect(referenceProblems(doc).join('\n')).toContain('service nowhere is not defined');
  });
});

describe("AdGuard Home's configuration", () => {
  it('matches the documented types of its current schema', () => {
    expect(checkAdguard(adguard.doc), JSON.stringify(checkAdguard.errors, null, 2)).toBe(true);
  });

  it.each([
    ['rewrites under dns (moved to filtering in schema 26)', (d: any) => { d.dns.rewrites = []; }],
    ['a misspelled top-level key', (d: any) => { d.filter = []; }],
    ['an old schema version', (d: any) => { d.schema_version = 27; }],
    ['a rewrite without an answer', (d: any) => { d.filtering.rewrites = [{ domain: 'x.local' }]; }],
  ])('rejects %s', (_name, breakIt) => {
    const doc = structuredClone(adguard.doc);
    breakIt(doc);
    expect(checkAdguard(doc)).toBe(false);
  });
});

describe('DNS and the reverse proxy agree', () => {
  const rewrites = (adguard.doc.filtering.rewrites as { domain: string; answer: string }[]).filter((r) => r.answer === proxyAddress);

  it("every Traefik router's host has a DNS rewrite to the proxy", () => {
    const answered = new Set(rewrites.map((r) => r.domain));
    expect(routedHosts(traefik.doc).filter((h) => !answered.has(h))).toEqual([]);
  });

  it('every name DNS sends to the proxy has a Traefik router', () => {
    const routed = new Set(routedHosts(traefik.doc));
    expect(rewrites.map((r) => r.domain).filter((d) => !routed.has(d) && d !== `${traefik.host}.${realLab.facts.domain}`)).toEqual([]);
  });
});
