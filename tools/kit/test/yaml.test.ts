import { describe, expect, it } from 'vitest';
import { parseYaml, toYaml } from '../src/internal.js';

describe('toYaml', () => {
  it('quotes strings a YAML 1.1 reader (docker-compose v1, cloud-init) would take for booleans', () => {
    const text = toYaml({ command: ['redis-server', '--appendonly', 'yes'], a: 'no', b: 'on', c: 'Off', d: 'y', e: 'yesterday' });
    expect(text).toContain('- "yes"');
    expect(text).toContain('a: "no"');
    expect(text).toContain('b: "on"');
    expect(text).toContain('c: "Off"');
    expect(text).toContain('d: "y"');
    expect(text).toContain('e: yesterday');
    expect(parseYaml(text)).toEqual({ command: ['redis-server', '--appendonly', 'yes'], a: 'no', b: 'on', c: 'Off', d: 'y', e: 'yesterday' });
  });

  it('leaves real booleans alone', () => {
    expect(toYaml({ enabled: true })).toBe('enabled: true\n');
  });
});
