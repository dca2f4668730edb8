import { daemonSecrets } from '../../model/daemon.js';
import { isValidSecretName } from '../../model/secret.js';
import { defineRule, servicePath } from '../rule.js';

/** Daemon names are unique per host (each one's files go to dist/<name>/), and their secret names are valid. */
export const daemonsRule = defineRule({
  description: 'Daemon names are unique per host (each one\'s files go to dist/<name>/), and their secret names are valid',
  docs: 'findings.md#daemons-of-a-guest-adguard-home-tailscale-samba-nfs-exports',
  codes: ['daemon-duplicate', 'secret-name-invalid'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      const seen = new Set<string>();
      for (const d of host.daemons ?? []) {
        if (seen.has(d.name) || host.services.some((s) => s.name === d.name)) {
          findings.error('daemon-duplicate', servicePath(host, d.name, 'name'), `${host.name} has two services named "${d.name}"; rename one (its files go to dist/${d.name}/).`);
        }
        seen.add(d.name);
        for (const { ref, field } of daemonSecrets(d)) {
          if (!isValidSecretName(ref.name)) {
            findings.error('secret-name-invalid', servicePath(host, d.name, field), `secret name "${ref.name}" must be lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.`);
          }
        }
      }
    }
  },
});
