import { describe, expect, it } from 'vitest';
import { derivedHwaddr, isLxcHost, lxcSettings, pveLxcConf, type LxcHostDef } from '../src/internal.js';
import { realLab } from './fixtures.js';

// A container's settings are resolved once in the model (model/lxc-settings.ts), as a VM's are
// (model/vm-settings.ts); the renderer writes them.
const containers = realLab.hosts.filter(isLxcHost);
const entry = (host: LxcHostDef, key: string) => pveLxcConf(realLab, host).options.find((o) => o.key === key)?.value;

describe('container settings', () => {
  it('covers the lab\'s containers', () => expect(containers.length).toBeGreaterThan(0));

  it('fills the defaults and derives the MAC address from the name when the facts name none', () => {
    for (const host of containers) {
      const ct = lxcSettings(realLab, host);
      expect(ct.arch).toBe(host.arch ?? 'amd64');
      expect(ct.mac).toBe(host.hwaddr ?? derivedHwaddr(host.name));
      expect(ct.unprivileged).toBe(host.unprivileged !== false);
      expect(entry(host, 'net0')).toContain(`hwaddr=${ct.mac},ip=${ct.address}/${ct.prefix}`);
    }
  });

  it('resolves each bind mount to its folder on the node, with the field it comes from', () => {
    const host = containers.find((h) => (h.mounts ?? []).length > 0)!;
    const ct = lxcSettings(realLab, host);
    expect(ct.mounts.map((m) => m.field)).toEqual(host.mounts!.map((_, i) => `mounts[${i}]`));
    ct.mounts.forEach((m, i) => {
      expect(m.source.startsWith('/')).toBe(true);
      expect(entry(host, `mp${i}`)).toContain(`${m.source},mp=${m.target}`);
    });
  });
});
