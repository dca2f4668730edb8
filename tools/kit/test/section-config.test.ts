import { describe, expect, it } from 'vitest';
import { parseSectionConfig } from '../src/proxmox/section-config.js';
import { installerStorageCfg } from '../src/proxmox/installer-files.js';

describe('parseSectionConfig, as PVE::SectionConfig::parse_config reads a file', () => {
  it('reads the installer\'s storage.cfg as its two sections', () => {
    const read = parseSectionConfig(installerStorageCfg());
    expect(read.ignored).toEqual([]);
    expect(read.sections.map((s) => [s.type, s.id, s.properties.map((p) => `${p.key}=${p.value}`)])).toEqual([
      ['dir', 'local', ['path=/var/lib/vz', 'content=iso,vztmpl,backup,import']],
      ['zfspool', 'local-zfs', ['pool=rpool/data', 'sparse=', 'content=images,rootdir']],
    ]);
  });

  it('starts a section only after a blank line: a header straight after a section is an ignored line of it', () => {
    const read = parseSectionConfig(`${installerStorageCfg()}# a comment does not end a section\ndir: tank-backups\n\tpath /tank/backups\n`);
    expect(read.sections.map((s) => s.id)).toEqual(['local', 'local-zfs']);
    expect(read.ignored).toEqual([{ line: 10, text: 'dir: tank-backups', section: 'local-zfs' }]);
    expect(read.sections[1]!.properties.map((p) => p.key)).toEqual(['pool', 'sparse', 'content', 'path']);
  });

  it('drops a stray line outside any section', () => {
    expect(parseSectionConfig('\tpath /x\n\ndir: a\n\tpath /a\n').ignored).toEqual([{ line: 1, text: '\tpath /x' }]);
  });
});
