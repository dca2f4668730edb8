import { describe, expect, it } from 'vitest';
import { afterBoot } from '../src/probes/reboot.js';
import { bootMounts, enabledUnits, mountUnitName, type VendorBoot } from '../src/vm-boot.js';

const unit = (where: string, install = true) => ({
  path: `/etc/systemd/system/${mountUnitName(where)}`,
  content: `[Unit]\nDescription=x\n\n[Mount]\nWhat=tag\nWhere=${where}\nType=virtiofs\n${install ? '\n[Install]\nWantedBy=multi-user.target\n' : ''}`,
});
const media = { tag: 'tank-services-media', where: '/mnt/tank/services/media', nodePath: '/tank/services/media' };
const library = { tag: 'tank-media-library', where: '/mnt/tank/media/library', nodePath: '/tank/media/library' };

describe('what a VM mounts again when it reboots', () => {
  it('names mount units as systemd-escape --path does', () => {
    expect(mountUnitName('/mnt/tank/services/media')).toBe('mnt-tank-services-media.mount');
    expect(mountUnitName('/mnt/tank/my-data/')).toBe('mnt-tank-my\\x2ddata.mount');
  });

  it('the lab\'s form: units with [Install] that runcmd enables come back', () => {
    const vendor: VendorBoot = {
      write_files: [unit(media.where), unit(library.where)],
      runcmd: [['systemctl', 'daemon-reload'], ['systemctl', 'enable', '--now', mountUnitName(media.where), mountUnitName(library.where)]],
    };
    expect(bootMounts([media, library], vendor)).toEqual({ mounted: [media, library], lost: [] });
  });

  it('planted fault: a unit runcmd only starts is mounted on the first boot and lost on the next', () => {
    const vendor: VendorBoot = {
      write_files: [unit(media.where), unit(library.where)],
      runcmd: ['systemctl start ' + mountUnitName(media.where), ['systemctl', 'enable', '--now', mountUnitName(library.where)]],
    };
    expect(bootMounts([media, library], vendor)).toEqual({ mounted: [library], lost: [media] });
  });

  it('planted fault: a unit with no [Install] section cannot be enabled', () => {
    const vendor: VendorBoot = { write_files: [unit(media.where, false)], runcmd: [['systemctl', 'enable', '--now', mountUnitName(media.where)]] };
    expect(enabledUnits(vendor).size).toBe(0);
    expect(bootMounts([media], vendor).lost).toEqual([media]);
  });
});

describe('where a container stands after its VM boots', () => {
  const exited = { Running: false };
  it('a stopped container is down for good only when its policy is "no" (or none)', () => {
    expect(afterBoot(exited, false, 'no')).toBe('down');
    expect(afterBoot(exited, false, '')).toBe('down');
    for (const policy of ['always', 'unless-stopped', 'on-failure']) expect(afterBoot(exited, false, policy)).toBe('pending');
  });
  it('a running container is back once healthy, where it has a check', () => {
    expect(afterBoot({ Running: true }, false, 'unless-stopped')).toBe('up');
    expect(afterBoot({ Running: true, Health: { Status: 'starting' } }, true, 'unless-stopped')).toBe('pending');
    expect(afterBoot({ Running: true, Health: { Status: 'healthy' } }, true, 'unless-stopped')).toBe('up');
  });
});
