import { daemonsOf } from '../../model/daemon.js';
import { defineRule, servicePath } from '../rule.js';

/** `name/sub` of a dataset folder, to compare shares with mounts. */
const folder = (dataset: { pool: string; name: string }, sub?: string) => `${dataset.pool}/${dataset.name}${sub ? `/${sub.replace(/^\/+|\/+$/g, '')}` : ''}`;

/**
 * A file share never reaches a folder a service marks `sensitive` (a password database, private
 * keys): whoever has the share's login would have the secrets, read-only or not.
 */
export const sambaSecretsRule = defineRule({
  description: 'A file share never reaches a folder a service marks `sensitive` (a password database, private keys)',
  docs: 'findings.md#daemons-of-a-guest-adguard-home-tailscale-samba-nfs-exports',
  codes: ['smb-share-exposes-secrets'],
  check(lab, findings) {
    const secrets = lab.hosts.flatMap((host) =>
      host.services.flatMap((service) =>
        (service.volumes ?? []).flatMap((v) => ('dataset' in v && v.sensitive?.trim() ? [{ at: folder(v.dataset, v.sub), who: `${host.name}/${service.name}`, why: v.sensitive }] : [])),
      ),
    );
    for (const host of lab.hosts) {
      for (const smb of daemonsOf(host, 'samba')) {
        smb.shares.forEach((share, i) => {
          const shared = folder(share.dataset, share.sub);
          for (const s of secrets) {
            if (s.at !== shared && !s.at.startsWith(`${shared}/`)) continue;
            findings.error('smb-share-exposes-secrets', servicePath(host, smb.name, `shares[${i}]`), `share ${share.name} serves ${shared}, which holds ${s.at} of ${s.who} (${s.why}); share the folders beside it (sub: '...') instead of the whole dataset.`);
          }
        });
      }
    }
  },
});
