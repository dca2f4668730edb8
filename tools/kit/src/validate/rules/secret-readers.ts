import { defineRule, servicePath } from '../rule.js';
import { formatUidGid } from '../../model/image-facts.js';
import { permissionReaders, secretReaders } from '../../model/secret-owners.js';

/**
 * A compose secret is a bind mount that keeps the host file's owner and mode, so deploy writes
 * it owned by the uid that reads it (0400). That needs one reader uid per secret (root reads any
 * file), or a declared group all its readers run with.
 */
export const secretReadersRule = defineRule({
  description: 'Every compose secret has one owner that all its readers can read as',
  docs: 'findings.md#images-what-each-image-does-by-itself-imagefacts',
  codes: ['secret-reader-unknown', 'secret-readers-differ'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const secret of secretReaders(host.services)) {
        for (const r of secret.readers) {
          if (r.as || !r.service.imageFacts) continue; // no facts at all is image-facts-missing
          findings.error(
            'secret-reader-unknown',
            servicePath(host, r.service, r.service.user !== undefined ? 'user' : 'imageFacts'),
            `${r.service.name} reads secret ${secret.name}, but the user it reads it as is not a numeric uid:gid (${r.service.user ?? r.service.imageFacts.secretsReadAs ?? r.service.imageFacts.user}): deploy cannot give the file an owner. Write the user as uid:gid.`,
          );
        }
        const readers = permissionReaders(secret);
        if (secret.group !== undefined) {
          for (const r of secret.readers) {
            if (!r.as || r.as.uid === 0 || r.as.gid === secret.group) continue;
            findings.error('secret-readers-differ', servicePath(host, r.service, 'secrets'), `secret ${secret.name} is shared by group ${secret.group} (root:${secret.group} 0440), but ${r.service.name} reads it as ${formatUidGid(r.as)}, not in that group: it could not open the file. Run it with gid ${secret.group}.`);
          }
        } else if (readers.length > 1) {
          const who = secret.readers.filter((r) => r.as && r.as.uid !== 0).map((r) => `${r.service.name} as ${formatUidGid(r.as!)}`);
          const last = secret.readers.filter((r) => r.as && r.as.uid !== 0).at(-1)!.service;
          findings.error(
            'secret-readers-differ',
            servicePath(host, last, 'secrets'),
            `secret ${secret.name} is read by services running as different users (${who.join(', ')}); a file has one owner, so one of them could not read it. Give them one user, or declare the secret shared by a group they all run with: sharedSecret('${secret.name}', { group: <gid> }).`,
          );
        }
      }
    }
  },
});
