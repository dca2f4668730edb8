import { defineRule, servicePath } from '../rule.js';
import { parseUidGid } from '../../model/image-facts.js';
import { parseImage } from './image.js';

/**
 * Every service says what its image does by itself (user, who reads secrets, shipped commands,
 * where that was checked): the twin's stand-ins and the secret owners are built from it.
 */
export const imageFactsRule = defineRule({
  description: 'Every service says what its image does by itself (user, secret readers, shipped commands, source)',
  docs: 'findings.md#images-what-each-image-does-by-itself-imagefacts',
  codes: ['image-facts-missing', 'image-facts-invalid', 'image-facts-stale'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        const facts = service.imageFacts;
        if (!facts) {
          findings.error(
            'image-facts-missing',
            servicePath(host, service, 'imageFacts'),
            `${service.name} (${service.image}) has no imageFacts: write the user its image starts as, who reads its secret files, the commands its healthcheck calls, and the Dockerfile or docs you checked them in (docs/adding-a-service.md).`,
          );
          continue;
        }
        if (!parseUidGid(facts.user)) {
          findings.error('image-facts-invalid', servicePath(host, service, 'imageFacts.user'), `imageFacts.user "${facts.user}" must be numeric uid:gid (the image's USER; 0:0 when its Dockerfile sets none): a name cannot own a file on the host.`);
        }
        if (facts.secretsReadAs !== undefined && !parseUidGid(facts.secretsReadAs)) {
          findings.error('image-facts-invalid', servicePath(host, service, 'imageFacts.secretsReadAs'), `imageFacts.secretsReadAs "${facts.secretsReadAs}" must be numeric uid:gid, the user the image's code opens its secret files as.`);
        }
        if (!/^https?:\/\/\S+$/.test(facts.source)) {
          findings.error('image-facts-invalid', servicePath(host, service, 'imageFacts.source'), `imageFacts.source must be the URL of the Dockerfile or documentation the facts were checked against, not "${facts.source}".`);
        }
        const verified = facts.verified;
        if (verified === undefined) continue;
        if (!/^sha256:[0-9a-f]{64}$/.test(verified.digest) || !/^\d{4}-\d{2}-\d{2}$/.test(verified.at)) {
          findings.error('image-facts-invalid', servicePath(host, service, 'imageFacts.verified'), `imageFacts.verified must be { digest: 'sha256:<64 hex>', at: 'YYYY-MM-DD' } as homelab images verify --update writes it, not ${JSON.stringify(verified)}.`);
          continue;
        }
        const pinned = parseImage(service.image).digest;
        if (pinned !== undefined && pinned !== verified.digest) {
          findings.warning('image-facts-stale', servicePath(host, service, 'imageFacts.verified'), `the facts were verified at ${verified.digest} (${verified.at}), but ${service.image} is pinned to another digest: run homelab images verify ${host.name}/${service.name} (--update) against the new image.`);
        }
      }
    }
  },
});
