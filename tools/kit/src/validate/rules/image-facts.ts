import { defineRule, servicePath } from '../rule.js';
import { parseUidGid } from '../../model/image-facts.js';

/**
 * Every service says what its image does by itself (user, who reads secrets, shipped commands,
 * where that was checked): the twin's stand-ins and the secret owners are built from it.
 */
export const imageFactsRule = defineRule({
  description: 'Every service says what its image does by itself (user, secret readers, shipped commands, source)',
  docs: 'findings.md#images-what-each-image-does-by-itself-imagefacts',
  codes: ['image-facts-missing', 'image-facts-invalid'],
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
      }
    }
  },
});
