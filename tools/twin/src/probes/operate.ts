import type { ProbeLog } from '../probe.js';
import { fail } from '../probe.js';
import { HOMELAB_CLI } from '../lab.js';
import { DEPLOY_SECONDS } from '../wait.js';
import type { Twin } from '../run.js';

interface PsService {
  readonly service: string;
  readonly state: string;
  readonly ok: boolean;
  readonly problem?: string;
}
type PsHost = { readonly host: string; readonly services: readonly PsService[] } | { readonly host: string; readonly error: { readonly code: string; readonly message: string } };

/** `homelab <args>` as the owner runs it, from the LAN client (the twin's addresses exist only there). */
function homelabOnClient(twin: Twin, args: readonly string[]) {
  return twin.client.exec([process.execPath, HOMELAB_CLI, ...args], { cwd: twin.lab.ws.root, env: twin.env, timeoutMs: DEPLOY_SECONDS * 1000 });
}

/**
 * Day-to-day operation through the model (issue 25): `homelab ps --json` over every deployed host
 * at once (containers over SSH, the LXC daemons' units through the node's `pct exec`, the node's
 * own), one probe per host: every service the model places there listed, running, healthy, from
 * its pinned image. Then `homelab restart` of one LXC daemon, through the node, back active.
 */
export async function probeOperate(log: ProbeLog, twin: Twin, hosts: readonly string[], restartUnitOf?: string): Promise<void> {
  const r = await homelabOnClient(twin, ['ps', '--json', ...hosts]);
  let parsed: { hosts: PsHost[] } | undefined;
  try {
    parsed = JSON.parse(r.stdout) as { hosts: PsHost[] };
  } catch {
    parsed = undefined;
  }
  for (const host of hosts) {
    await log.check(host, 'operate', `homelab ps lists every service of ${host} running, healthy, from its pinned image`, () => {
      if (!parsed) fail(`homelab ps --json printed no JSON (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join('\n')}`);
      const mine = parsed!.hosts.find((h) => h.host === host);
      if (!mine) fail('ps said nothing of it');
      if ('error' in mine!) fail(`could not be read [${mine.error.code}]: ${mine.error.message}`);
      const services = (mine as { services: readonly PsService[] }).services;
      const down = services.filter((s) => !s.ok);
      if (down.length > 0) fail(down.map((s) => `${s.service}: ${s.problem ?? s.state}`).join('; '));
      return `${services.length} service(s): ${services.map((s) => s.service).join(', ')}`;
    });
  }
  if (!restartUnitOf) return;
  const host = restartUnitOf;
  await log.check(host, 'operate', `homelab restart of ${host}'s first daemon, through its node, brings it back active`, async () => {
    const ps = parsed?.hosts.find((h) => h.host === host);
    const first = ps && !('error' in ps) ? ps.services[0] : undefined;
    if (!first) fail(`ps listed no service of ${host}`);
    const restarted = await homelabOnClient(twin, ['restart', `${host}/${first!.service}`]);
    if (restarted.code !== 0) fail(`exit ${restarted.code}: ${(restarted.stderr || restarted.stdout).trim()}`);
    if (!restarted.stdout.startsWith(`${host}/${first!.service}: restarted, active`)) fail(`it said: ${restarted.stdout.trim()}`);
    return restarted.stdout.trim();
  });
}
