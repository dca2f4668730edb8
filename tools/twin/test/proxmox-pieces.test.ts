import { describe, expect, it } from 'vitest';
import { isGuestFile, isLxcHost, renderHost } from '@homelab/kit/internal';
import { realLab } from '../../kit/test/fixtures.js';
import { containerUnits } from '../src/lxc/containers.js';
import { TEMPLATE_SYSTEMD_UNITS } from '../src/lxc/template.js';
import { md4, ntHash } from '../src/lxc/md4.js';
import { spareAddresses } from '../src/proxmox/addresses.js';
import { hostRootScript } from '../src/proxmox/rootfs.js';
import { sanoidAutosnap } from '../src/storage/probes.js';

describe('the pieces of the twin that need no namespace', () => {
  it('MD4 and the NT hash match RFC 1320 and Samba', () => {
    const hex = (s: string) => Buffer.from(md4(Buffer.from(s))).toString('hex');
    expect(hex('')).toBe('31d6cfe0d16ae931b73c59d7e0c089c0');
    expect(hex('abc')).toBe('a448017aaf21d8525fc10ae87aa6729d');
    expect(hex('message digest')).toBe('d9130a8164549fe818874806e1c7014b');
    expect(hex('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe('e33b4ddc9c38f2199c3e7b164fcc0536');
    expect(ntHash('password')).toBe('8846F7EAEE8FB117AD06BDD830B7586C');
  });

  it("spare addresses are in the lab's subnet and used by no device, range or resolver of the plan", () => {
    const plan = realLab.facts.network;
    const spare = spareAddresses(plan, 2);
    const used = new Set([plan.gateway, ...plan.nameservers, ...Object.values(plan.addresses).map((a) => a.address)]);
    expect(spare).toHaveLength(2);
    for (const a of spare) {
      expect(used.has(a)).toBe(false);
      expect(a.split('.').slice(0, 3).join('.')).toBe(plan.subnet.split('.').slice(0, 3).join('.'));
    }
    expect(() => spareAddresses({ ...plan, subnet: `${plan.gateway}/31` }, 5)).toThrow(/no 5 spare/);
  });

  it('sanoid.conf: each dataset takes snapshots unless its template says autosnap = no', () => {
    const conf = '[tank/a]\n\tuse_template = x\n[tank/b]\n\tuse_template = y\n[tank/c]\n\tuse_template = y\n\tautosnap = yes\n[template_x]\n\tautosnap = yes\n[template_y]\n\tautosnap = no\n';
    expect([...sanoidAutosnap(conf)]).toEqual([
      ['tank/a', true],
      ['tank/b', false],
      ['tank/c', true],
    ]);
  });

  it("a node's root: the machine's folders bound, each override the twin's, /etc/pve only there, then pivot_root", () => {
    const script = hostRootScript('/t/root', { '/etc': '/t/etc', '/var/lib/vz': '/t/vz', '/tank': '/t/pool/tank' }).split('\n');
    expect(script).toContain("if [ -d '/usr' ]; then mkdir '/t/root/usr'; mount --bind '/usr' '/t/root/usr'; fi");
    expect(script).toContain("if [ -d '/dev' ]; then mkdir '/t/root/dev'; mount --rbind '/dev' '/t/root/dev'; fi");
    expect(script).toContain("mount --rbind '/t/etc' '/t/root/etc'");
    expect(script).toContain("mount --rbind '/t/vz' '/t/root/var/lib/vz'");
    expect(script).toContain("mount --rbind '/t/pool/tank' '/t/root/tank'");
    // /var is rebuilt (a folder of binds), not bound whole: /var/lib/vz exists only in the node's root.
    expect(script.filter((l) => / '\/(var|etc)' /.test(l))).toEqual([]);
    expect(script.slice(-4)).toEqual(['pivot_root . .twin-old-root', 'cd /', 'umount -l /.twin-old-root', 'rmdir /.twin-old-root']);
  });

  it('every unit the lab restarts in a container comes from somewhere a fresh container gets it: the template\'s systemd, an install source, or deploy\'s own unit file', () => {
    for (const h of realLab.hosts.filter(isLxcHost)) {
      const files = renderHost(realLab, h).artifacts.filter(isGuestFile);
      const restarted = new Set(files.flatMap((a) => (a.install?.restart ? [a.install.restart] : [])));
      expect(restarted.size, h.name).toBeGreaterThan(0);
      for (const u of restarted) {
        const sourced = files.some((a) => a.install?.restart === u && a.install.source);
        const own = files.some((a) => a.install?.path === `/etc/systemd/system/${u}`);
        expect(sourced || own || TEMPLATE_SYSTEMD_UNITS.includes(u), `${h.name}: ${u}`).toBe(true);
      }
    }
    // The twin runs only systemd-sysctl otherwise than its unit file says (it would change the machine).
    expect(Object.keys(containerUnits())).toEqual(['systemd-sysctl.service']);
  });
});
