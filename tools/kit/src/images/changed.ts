import { checkoutTree } from '../affected/tree.js';
import { loadLab } from '../lab/load.js';
import type { Lab } from '../model/lab.js';
import type { ServiceDef } from '../model/service.js';

/** What of a service bears on its image: the image itself, its facts, and what it makes the image do. */
function imageSide(service: ServiceDef): string {
  const { image, imageFacts, healthcheck, entrypoint, user } = service;
  return JSON.stringify({ image, imageFacts, test: healthcheck?.test, entrypoint, user });
}

/** `host/service` of each service whose image, facts, user, healthcheck or entrypoint differ in `head` from `base` (new ones included). */
export function imageChanges(base: Lab, head: Lab): string[] {
  const before = new Map(base.hosts.flatMap((h) => h.services.map((s) => [`${h.name}/${s.name}`, imageSide(s)] as const)));
  return head.hosts.flatMap((h) => h.services.filter((s) => before.get(`${h.name}/${s.name}`) !== imageSide(s)).map((s) => `${h.name}/${s.name}`));
}

/** The services whose image side changed since git revision `ref` (a pull request's base): the lab loaded at `ref` and compared with `head`. */
export async function servicesChangedSince(repo: string, ref: string, head: Lab, modulesFrom = repo): Promise<string[]> {
  const tree = checkoutTree(repo, ref);
  try {
    return imageChanges((await loadLab(tree.dir, { ownKit: true, modulesFrom })).lab, head);
  } finally {
    tree.remove();
  }
}
