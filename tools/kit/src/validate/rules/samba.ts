import ipaddr from 'ipaddr.js';
import { daemonsOf } from '../../model/daemon.js';
import { isLxcHost, mountCovering } from '../../model/lxc.js';
import { defineRule, servicePath } from '../rule.js';

const RESERVED_SHARES = new Set(['global', 'homes', 'printers', 'print$', 'ipc$']);

/** Samba: shares that reach a mounted, writable-when-needed folder, known users, a valid NetBIOS name, and the force user's uid passed through. */
export const sambaRule = defineRule({
  description: 'Samba shares, users and names that smbd and the mounts accept',
  docs: 'findings.md#daemons-of-a-guest-adguard-home-tailscale-samba-nfs-exports',
  codes: ['smb-share-unmounted', 'smb-share-read-only-mount', 'smb-share-name-invalid', 'smb-user-unknown', 'smb-user-invalid', 'smb-netbios-name-invalid', 'smb-allow-invalid', 'smb-force-user-unmapped'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const smb of daemonsOf(host, 'samba')) {
        const at = (field: string) => servicePath(host, smb.name, field);
        if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,14}$/.test(smb.netbiosName)) {
          findings.error('smb-netbios-name-invalid', at('netbiosName'), `NetBIOS name "${smb.netbiosName}" must be 1 to 15 letters, digits or hyphens.`);
        }
        smb.allowFrom.forEach((cidr, i) => {
          if (!ipaddr.IPv4.isValidCIDR(cidr)) findings.error('smb-allow-invalid', at(`allowFrom[${i}]`), `"${cidr}" is not an IPv4 network in CIDR form.`);
        });
        const users = new Set<string>();
        const uids = new Set<number>([smb.forceUser.uid]);
        smb.users.forEach((u, i) => {
          if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(u.name) || users.has(u.name) || u.name === smb.forceUser.name || uids.has(u.uid)) {
            findings.error('smb-user-invalid', at(`users[${i}]`), `Samba user "${u.name}" (uid ${u.uid}) needs a unique lowercase Unix name and a uid of its own (not the force user's).`);
          }
          users.add(u.name);
          uids.add(u.uid);
        });
        const names = new Set<string>();
        smb.shares.forEach((share, i) => {
          const lower = share.name.toLowerCase();
          if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/.test(share.name) || RESERVED_SHARES.has(lower) || names.has(lower)) {
            findings.error('smb-share-name-invalid', at(`shares[${i}].name`), `share name "${share.name}" must be unique, not a reserved section (global, homes, printers), and letters, digits, _ . - only.`);
          }
          names.add(lower);
          [...share.users, ...(share.writers ?? [])].forEach((name) => {
            if (!users.has(name)) findings.error('smb-user-unknown', at(`shares[${i}].users`), `share ${share.name} names "${name}", who is not among ${smb.name}'s users.`);
          });
          if (!isLxcHost(host)) return;
          const covering = mountCovering(host, share.dataset.name, share.sub);
          if (!covering) {
            findings.error('smb-share-unmounted', at(`shares[${i}]`), `share ${share.name} serves ${share.dataset.name}${share.sub ? `/${share.sub}` : ''}, which ${host.name} does not bind-mount; add it to mounts in src/host.ts.`);
          } else if (covering.mount.readOnly && (!share.readOnly || (share.writers?.length ?? 0) > 0)) {
            findings.error('smb-share-read-only-mount', at(`shares[${i}]`), `share ${share.name} lets users write, but mounts[${covering.index}] is read-only; make the share read-only or the mount writable.`);
          }
        });
        if (isLxcHost(host) && host.unprivileged !== false) {
          const passed = host.passthroughIds;
          if (!passed?.uids?.includes(smb.forceUser.uid) || !passed.gids?.includes(smb.forceUser.gid)) {
            findings.warning('smb-force-user-unmapped', at('forceUser'), `files written through ${smb.name} belong to host uid/gid ${100000 + smb.forceUser.uid}, not ${smb.forceUser.uid}, which the VMs' containers use; pass ${smb.forceUser.uid} through with passthroughIds in src/host.ts.`);
          }
        }
      }
    }
  },
});
