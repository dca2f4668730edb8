import { describe, expect, it } from 'vitest';
import { composeDocument, findRole, isVmHost, prometheusConfig, traefikRoutes, vendorData, vmSettings } from '../src/internal.js';
import { directYaml, toYaml, yamlPackageToYaml, type YamlOptions } from '../src/render/yaml.js';
import { realLab } from './fixtures.js';

// Strings that sit on every edge of yaml's plain-scalar rules, its core-schema types, YAML 1.1
// booleans and its quoting choices.
const STRINGS = [
  '', ' ', 'plain', 'two words', 'yes', 'No', 'ON', 'off', 'y', 'n', 'yesterday', 'true', 'False', 'null', 'Null', '~',
  '1', '-1', '+1', '007', '1.0', '.5', '1.', '1e3', '1E-3', '0x1F', '0o17', '0b1', '.inf', '-.Inf', '.nan', '1_000', '12:30', '1:2:3',
  '-', '- a', '-a', '--flag', '-O-', '?', '? a', '?a', ':', ':a', 'a:', 'a: b', 'a:b', 'http://x:80/y', '#a', 'a #b', 'a#b', 'a #',
  ' a', 'a ', ',a', 'a,b', '[a]', 'a[0]', '{a}', 'a}', '&a', '*a', '!a', 'a!', '|a', '>a', "'a'", '"a"', "it's", 'say "hi"', `both ' and "`,
  '%a', 'a%', '@a', '`a`', 'back\\slash', '"\\', '---', '--- a', '...', 'a...', '=', 'a=b', 'CMD-SHELL', '/run/secrets/x', './secrets/x',
  'Host(`x.lab`) && PathPrefix(`/y/`)', '192.168.0.22:8096:8096/tcp', '127.0.0.1:53:53/udp', '${VAR}', '$$', 'a\tb', '\ttab', 'two\nlines',
  'trailing\n', 'é', 'emoji 🙂', '\u0007bell', 'x'.repeat(1100),
  // Line breaks: literal blocks, and the texts whose indentation or chomping yaml must choose.
  'a\nb\nc', 'a\n\nb', 'a\n  b', 'a\n  \nb', '[Unit]\nRequiresMountsFor=/mnt/a /mnt/b\n', 'x: y\nz', '#a\nb', 'a\n#b', '- a\n- b', 'a \nb',
  ' lead\nx', '\nlead', 'x\n\n', 'x\n ', 'x \n', '\n', 'a\n---\nb', 'a\n...', '%a\nb', 'yes\nno', 'tab\n\tx', "it's\nsaid \"so\"",
];

const OPTIONS: YamlOptions[] = [{}, { quoteItemsOf: ['ports'] }, { header: ['Generated. Do not edit.', '', ' indented', 'a\nb'] }];

/** Every position a string can take: a key, a value, a sequence item, an item of a quoted sequence, nested deeper. */
function documents(s: string): unknown[] {
  return [
    { [s]: 'value' },
    { key: s },
    { list: [s, 'x'] },
    { ports: [s, 8080] },
    { services: { [s]: { ports: [s], environment: { [s]: s }, nested: [[s], { [s]: [s] }] } } },
    [s, { a: s }],
  ];
}

const VALUES: unknown[] = [
  { a: 1, b: -0, c: 1.5, d: 1e21, e: -3, f: 0 },
  { a: true, b: false, c: null },
  { a: undefined, b: 1 },
  { a: { b: undefined } },
  { a: {}, b: [], c: [{}, [], [[]], [{}]] },
  { a: [[1, 2], [3, [4, 5]]], b: [{ x: 1, y: [2] }, { z: { w: 'v' } }] },
  {},
  [],
  { a: [undefined] },
  { a: Number.NaN, b: Number.POSITIVE_INFINITY },
  { a: new Map([['k', 'v']]) },
  { a: Object.assign(Object.create(null), { b: 1 }) },
  { a: 10n },
];

describe('directYaml (the renderers YAML, written without building yaml nodes)', () => {
  it('writes what the yaml package writes, for every string in every position', () => {
    for (const s of STRINGS) {
      for (const doc of documents(s)) {
        for (const options of OPTIONS) expect(toYaml(doc, options), `${JSON.stringify(doc)} ${JSON.stringify(options)}`).toBe(yamlPackageToYaml(doc, options));
      }
    }
  });

  it('writes what the yaml package writes for numbers, booleans, null, undefined, empty and nested collections', () => {
    for (const doc of VALUES) {
      for (const options of OPTIONS) expect(toYaml(doc, options), String(JSON.stringify(doc, (_k, v) => (typeof v === 'bigint' ? 'bigint' : v)))).toBe(yamlPackageToYaml(doc, options));
    }
  });

  it('writes the common cases itself and leaves indented or kept line breaks, non-ASCII text, Maps, NaN and undefined items to yaml', () => {
    expect(directYaml({ a: 'plain', b: ['1', 'yes', "it's"], c: { d: 1.5, e: null }, f: 'two\nlines\n' })).toBeDefined();
    for (const odd of [{ a: ' lead\nx' }, { a: 'x\n\n' }, { 'a\nb': 1 }, { a: 'é' }, { a: new Map() }, { a: Number.NaN }, { a: [undefined] }, { a: 'a\tb' }, { a: '---' }, { ['k'.repeat(1100)]: 1 }, 'scalar']) {
      expect(directYaml(odd), JSON.stringify(odd)).toBeUndefined();
    }
    expect(directYaml({ ports: ['a\nb'] }, { quoteItemsOf: ['ports'] })).toBeUndefined();
  });

  it('writes every compose file, cloud-init vendor data, the Traefik routes and the Prometheus config of the real lab itself', () => {
    for (const host of realLab.hosts) {
      if (host.services.length === 0) continue;
      const doc = composeDocument(realLab.facts, host);
      expect(directYaml(doc, { quoteItemsOf: ['ports'] }), host.name).toBe(yamlPackageToYaml(doc, { quoteItemsOf: ['ports'] }));
    }
    const vms = realLab.hosts.filter(isVmHost);
    expect(vms.length).toBeGreaterThan(0);
    for (const vm of vms) {
      const doc = vendorData(vmSettings(realLab, vm));
      expect(directYaml(doc, { header: ['x'] }), vm.name).toBe(yamlPackageToYaml(doc, { header: ['x'] }));
    }
    const proxy = findRole(realLab, 'reverse-proxy')!.host;
    const store = findRole(realLab, 'metrics-store')!.host;
    for (const doc of [traefikRoutes(realLab, proxy), prometheusConfig(realLab, store)]) expect(directYaml(doc)).toBe(yamlPackageToYaml(doc));
  });
});
