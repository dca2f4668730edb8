import { daemonsOf } from '../model/daemon.js';
import type { HostDef } from '../model/host.js';
import type { SambaDef } from '../model/samba.js';
import { GENERATED } from './generated.js';
import type { Renderer } from './index.js';

/**
 * sysusers.d(5) lines for the accounts Samba needs in the container: the force user (with its
 * group, at the lab's app uid/gid) and one login per Samba user (no shell, no home: they own
 * nothing, the shares write as the force user). systemd-sysusers creates them at boot.
 */
export function sambaSysusers(host: HostDef, smb: SambaDef): string {
  const header = GENERATED(host).map((l) => `# ${l}`);
  const f = smb.forceUser;
  const lines = [
    `g ${f.name} ${f.gid}`,
    `u ${f.name} ${f.uid}:${f.gid} "owner of the shared files" - /usr/sbin/nologin`,
    ...[...smb.users].sort((a, b) => a.name.localeCompare(b.name)).map((u) => `u ${u.name} ${u.uid} "Samba login" - /usr/sbin/nologin`),
  ];
  return `${[...header, ...lines].join('\n')}\n`;
}

export const renderSysusers: Renderer = (_lab, host) =>
  daemonsOf(host, 'samba').map((smb) => ({
    path: `${smb.name}/sysusers.conf`,
    kind: 'sysusers',
    content: sambaSysusers(host, smb),
    install: { path: `/etc/sysusers.d/homelab-${smb.name}.conf`, mode: '0644', owner: 'root:root', restart: 'systemd-sysusers.service' },
  }));
