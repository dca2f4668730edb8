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

describe('where a container stands once its VM has booted (dockerd restored it, the boot units ran)', () => {
  it('a stopped container is down for good, whatever its policy: dockerd does not retry a start that failed, and the boot is over', () => {
    for (const Status of ['exited', 'created']) expect(afterBoot({ Running: false, Status }, false)).toBe('down');
  });
  it('one in its restart back-off is still coming', () => {
    expect(afterBoot({ Running: false, Status: 'restarting' }, false)).toBe('pending');
  });
  it('a running container is back once healthy, where it has a check', () => {
    expect(afterBoot({ Running: true, Status: 'running' }, false)).toBe('up');
    expect(afterBoot({ Running: true, Status: 'running', Health: { Status: 'starting' } }, true)).toBe('pending');
    expect(afterBoot({ Running: true, Status: 'running', Health: { Status: 'healthy' } }, true)).toBe('up');
  });
});
