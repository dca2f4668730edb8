import { defineRule, servicePath } from '../rule.js';
import { shipsCommand } from '../../model/image-facts.js';

/** A service's own `entrypoint` runs a program the image must ship (nextcloud-cron's /cron.sh), or the container never starts. */
export const entrypointRule = defineRule({
  description: 'A service\'s own `entrypoint` runs a program its image ships',
  docs: 'findings.md#images-what-each-image-does-by-itself-imagefacts',
  codes: ['entrypoint-not-shipped'],
  check(lab, findings) {
    for (const host of lab.hosts) {
      for (const service of host.services) {
        const ships = service.imageFacts?.ships;
        if (!ships || service.entrypoint === undefined) continue; // no facts: image-facts-missing
        const program = typeof service.entrypoint === 'string' ? service.entrypoint.trim().split(/\s+/)[0] : service.entrypoint[0];
        if (!program || shipsCommand(ships, program)) continue;
        findings.error(
          'entrypoint-not-shipped',
          servicePath(host, service, 'entrypoint'),
          `${service.name}'s entrypoint runs ${program}, which ${service.image} does not ship (imageFacts.ships: [${ships.join(', ')}]): the container cannot start. Run a program the image has, or add it to ships after checking the image.`,
        );
      }
    }
  },
});
