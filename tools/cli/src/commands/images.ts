import { didYouMean, rewriteFacts, servicesChangedSince, verifyImages, type FactsUpdate, type ImageConfig, type LoadedLab, type VerifyTarget } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { UsageError } from '../errors.js';
import { printFindings } from '../output.js';
import { JSON_OPTION } from './common-options.js';

const ARGS = 'verify [host|host/service...]';

/** The services the arguments name: a host (all of its services) or host/service; none named is every service of the lab. */
export function imageTargets(loaded: LoadedLab, names: readonly string[]): VerifyTarget[] {
  const all = loaded.lab.hosts.flatMap((host) => host.services.map((service) => ({ host, service })));
  if (names.length === 0) return all;
  const hosts = loaded.lab.hosts.map((h) => h.name);
  const chosen = new Set<VerifyTarget>();
  for (const name of names) {
    const [hostName = '', serviceName, extra] = name.split('/');
    const host = loaded.lab.hosts.find((h) => h.name === hostName);
    if (!host || extra !== undefined) throw new UsageError(`no host named "${hostName}" with services.${didYouMean(hostName, hosts)} Name a host or host/service; these hosts run services: ${hosts.join(', ')}`);
    const matching = all.filter((t) => t.host === host && (serviceName === undefined || t.service.name === serviceName));
    if (matching.length === 0) {
      const services = host.services.map((s) => s.name);
      throw new UsageError(`${host.name} has no service named "${serviceName}".${didYouMean(serviceName ?? '', services)} It runs: ${services.join(', ')}`);
    }
    for (const t of matching) chosen.add(t);
  }
  return all.filter((t) => chosen.has(t));
}

/** What the image's config says about how it runs, for --json (and for a person writing facts by hand). */
function configSummary(c: ImageConfig) {
  return {
    user: c.User ?? '',
    entrypoint: c.Entrypoint ?? null,
    cmd: c.Cmd ?? null,
    healthcheck: c.Healthcheck?.Test ?? null,
    exposedPorts: Object.keys(c.ExposedPorts ?? {}),
    workingDir: c.WorkingDir ?? '',
  };
}

function printUpdate(u: FactsUpdate): void {
  if (u.status === 'rewritten') process.stdout.write(`${u.at}: rewrote its imageFacts in ${u.file}\n${u.diff}\n`);
  else if (u.status === 'unchanged') process.stdout.write(`${u.at}: ${u.file} already holds these facts\n`);
  else process.stdout.write(`${u.at}: not rewritten: ${u.reason}${u.facts ? `\n  the image says: ${JSON.stringify(u.facts)}` : ''}\n`);
}

export const images = defineCommand({
  summary: 'read each image straight from its registry (no Docker daemon) and check the imageFacts, user, healthcheck and entrypoint of the services that run it',
  args: ARGS,
  options: {
    json: JSON_OPTION,
    update: { type: 'boolean', description: 'rewrite the facts written inline in a service file from the image (with the digest and day as evidence) and print the diff' },
    base: { type: 'string', value: 'REF', description: "only the services whose image, facts, user, healthcheck or entrypoint changed since REF (a pull request's base)" },
  },
  examples: ['homelab images verify', 'homelab images verify vm-media/sonarr --update', 'homelab images verify --base origin/main --json'],
  async run(loaded, positionals, values) {
    const [action, ...names] = positionals;
    if (action !== 'verify') throw new UsageError(`usage: homelab images ${ARGS} [--json] [--update] [--base REF]`);
    let targets = imageTargets(loaded, names);
    if (values.base) {
      const changed = new Set(await servicesChangedSince(loaded.root, values.base, loaded.lab));
      targets = targets.filter((t) => changed.has(`${t.host.name}/${t.service.name}`));
      if (targets.length === 0 && !values.json) process.stdout.write(`no service's image, facts, user, healthcheck or entrypoint changed since ${values.base}: nothing to verify\n`);
    }
    const result = await verifyImages(targets, { onImage: (image, registry) => process.stderr.write(`reading ${image} from ${registry}\n`) });
    const today = new Date().toISOString().slice(0, 10);
    const updates = values.update ? result.services.map((v) => rewriteFacts(loaded.root, loaded.hostDirs.get(v.host.name), v, today)) : [];
    const services = result.services.map((v) => ({
      service: v.at,
      image: v.image,
      ...(v.read ? { digest: v.read.digest, manifest: v.read.manifestDigest, config: configSummary(v.read.config), fromImage: v.fromImage } : { error: v.error }),
    }));
    if (!values.json) {
      for (const s of services) process.stdout.write(`${s.service}  ${s.image}  ${'digest' in s ? s.digest : 'not read'}\n`);
      for (const u of updates) printUpdate(u);
    }
    printFindings(result.findings, values.json, { ...(result.unreadable > 0 ? { ok: false } : {}), services, ...(values.update ? { updates } : {}) });
    if (result.unreadable > 0) return 2;
    return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
  },
});
