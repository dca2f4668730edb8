import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTHENTIK_BLUEPRINTS_DIR, FIRST_ADMIN, type HostDef } from '@homelab/kit/internal';
import { fail, type ProbeLog } from '../probe.js';
import type { TwinVm } from '../vm.js';
import { BUSYBOX, containerOf } from './containers.js';

/**
 * The lab's Authentik blueprints as deployed (the host's dist/authentik/blueprints): every file
 * they read with `!File` must be readable, and not empty, by the service that applies them (the
 * worker, role auth-worker), as the user it reads its secrets as. Authentik's worker reads it there
 * (authentik/blueprints/v1/common.py, File: a file it cannot open gives no value and a warning):
 * akadmin's password unread leaves the initial-setup flow open to whoever reaches it first.
 */
export async function probeBlueprintFiles(log: ProbeLog, host: HostDef, vm: TwinVm, distDir: string, readerOf: (service: string) => string): Promise<void> {
  const dir = join(distDir, AUTHENTIK_BLUEPRINTS_DIR);
  if (!existsSync(dir)) return;
  const applier = host.services.find((s) => s.role === 'auth-worker');
  if (!applier) return;
  const paths = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/!File\s+(\/\S+)/g)) paths.add(m[1]!);
  }
  const reader = readerOf(applier.name);
  for (const path of paths) {
    await log.check(host.name, 'secret', `${applier.name} reads ${path} (the blueprint's !File${path.endsWith(`/${FIRST_ADMIN.secret}`) ? `: ${FIRST_ADMIN.username}'s password` : ''}) as ${reader}`, async () => {
      const id = await containerOf(vm, applier.name);
      if (!id) fail(`no container for ${applier.name}`);
      const r = await vm.docker(['exec', '-u', reader, id, BUSYBOX, 'cat', path]);
      if (r.code !== 0) fail(`${applier.name} cannot read ${path} as ${reader} (${r.stderr.trim() || `exit ${r.code}`}): Authentik sets no value from it, so ${FIRST_ADMIN.username} has no password and the initial-setup flow is open to whoever reaches it first`);
      if (r.stdout.trim() === '') fail(`${path} is empty: ${FIRST_ADMIN.username} would get no usable password`);
    });
  }
}
