import ipaddr from 'ipaddr.js';
import { daemonsOf } from '../model/daemon.js';
import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { isLxcHost, mountCovering } from '../model/lxc.js';
import type { SambaDef, SambaShare } from '../model/samba.js';
import { SAMBA_PACKAGE } from '../model/unit-source.js';
import { datasetHostPath } from './compose.js';
import { GENERATED } from './generated.js';
import type { Renderer } from './index.js';
import { DAEMON_UNITS } from '../model/daemon.js';

export const SMB_PASSDB_PATH = '/etc/samba/smbpasswd';

/** Where the share's folder is inside the guest: through the LXC's bind mount, else the dataset's mount root. */
export function sharePath(lab: Lab, host: HostDef, share: Pick<SambaShare, 'dataset' | 'sub'>): string | undefined {
  if (isLxcHost(host)) return mountCovering(host, share.dataset.name, share.sub)?.containerPath;
  return datasetHostPath(lab.facts, share.dataset.name, share.sub);
}

/** 192.168.0.0/24 -> 192.168.0.0/255.255.255.0, the network form smb.conf(5) documents for `hosts allow`. */
export function smbNetwork(cidr: string): string {
  const [address, bits] = ipaddr.parseCIDR(cidr);
  return `${address.toString()}/${ipaddr.IPv4.subnetMaskFromPrefixLength(bits).toString()}`;
}

function section(name: string, params: ReadonlyArray<readonly [string, string | undefined]>): string {
  const lines = params.filter(([, v]) => v !== undefined).map(([k, v]) => `\t${k} = ${v}`);
  return `[${name}]\n${lines.join('\n')}\n`;
}

/** smb.conf: a standalone server for the LAN, SMB3 only, every share reading and writing as the force user. */
export function smbConf(lab: Lab, host: HostDef, smb: SambaDef): string {
  const header = GENERATED(host).map((l) => `# ${l}`).join('\n');
  const global = section('global', [
    ['workgroup', smb.workgroup],
    ['netbios name', smb.netbiosName],
    ['server string', `${host.name} file shares`],
    ['server role', 'standalone server'],
    ['security', 'user'],
    ['passdb backend', `smbpasswd:${SMB_PASSDB_PATH}`],
    ['map to guest', 'never'],
    ['interfaces', 'lo eth0'],
    ['bind interfaces only', 'yes'],
    ['hosts allow', ['127.0.0.1', ...smb.allowFrom.map(smbNetwork)].join(' ')],
    ['disable netbios', 'yes'],
    ['smb ports', '445'],
    ['server min protocol', 'SMB3'],
    ['load printers', 'no'],
    ['printing', 'bsd'],
    ['printcap name', '/dev/null'],
    ['disable spoolss', 'yes'],
    ['logging', 'file'],
    ['log file', '/var/log/samba/log.%m'],
    ['max log size', '1000'],
  ]);
  const shares = [...smb.shares]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) =>
      section(s.name, [
        ['comment', s.comment],
        ['path', sharePath(lab, host, s)],
        ['valid users', [...s.users].sort().join(' ')],
        ['read only', s.readOnly ? 'yes' : 'no'],
        ['write list', s.readOnly && s.writers?.length ? [...s.writers].sort().join(' ') : undefined],
        ['force user', smb.forceUser.name],
        ['force group', smb.forceUser.name],
        ['create mask', '0664'],
        ['directory mask', '0775'],
        ['browseable', 'yes'],
      ]),
    );
  return `${header}\n${[global, ...shares].join('\n')}`;
}

export const renderSmb: Renderer = (lab, host) =>
  daemonsOf(host, 'samba').map((smb) => ({
    path: `${smb.name}/smb.conf`,
    kind: 'smb',
    content: smbConf(lab, host, smb),
    install: { path: '/etc/samba/smb.conf', mode: '0644', owner: 'root:root', restart: DAEMON_UNITS.samba.unit, source: SAMBA_PACKAGE },
  }));
