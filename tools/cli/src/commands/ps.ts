import { psHost, type HostStatus, type ServiceStatus } from '@homelab/kit';
import { defineCommand } from '../command.js';
import { JSON_OPTION } from './common-options.js';
import { hostsToRead, readEachHost, targetOptions, type HostUnread } from './target-options.js';

type HostOutcome = HostStatus | HostUnread;

/** How long ago `since` was, the way ps tools say it: 45s, 12m, 3h 12m, 2d 4h. */
export function age(since: string | undefined, now = Date.now()): string {
  if (!since) return '-';
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** An image without its digest, which says nothing to a person reading a table. */
const shortImage = (image: string | undefined) => (image ? image.replace(/@sha256:[0-9a-f]+$/, '') : '-');

/** The table: one row per service, then one line per service that is not running as the model says. */
export function formatPs(outcomes: readonly HostOutcome[], now = Date.now()): string {
  const rows: string[][] = [['HOST', 'SERVICE', 'KIND', 'STATE', 'HEALTH', 'UP', 'RESTARTS', 'IMAGE']];
  const problems: string[] = [];
  for (const o of outcomes) {
    if ('error' in o) {
      problems.push(`${o.host}: could not be read [${o.error.code}]: ${o.error.message}`);
      continue;
    }
    for (const s of o.services as ServiceStatus[]) {
      rows.push([s.host, s.service, s.kind, s.state, s.health ?? '-', age(s.since, now), s.restarts === undefined ? '-' : String(s.restarts), s.kind === 'unit' ? '-' : shortImage(s.image ?? s.pinned)]);
      if (!s.ok) problems.push(`${s.host}/${s.service}: ${s.problem ?? s.state}`);
    }
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const table = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
  return `${[...table, ...(problems.length > 0 ? ['', ...problems] : [])].join('\n')}\n`;
}

export const ps = defineCommand({
  summary: "list every service the lab runs (containers, Kubernetes deployments, daemons): state, health, uptime, restarts, image against the model's pin; exit 1 when one is not running as the model says",
  args: '[host...]',
  options: { json: JSON_OPTION, ...targetOptions },
  examples: ['homelab ps', 'homelab ps vm-media', 'homelab ps --json'],
  async run(loaded, positionals, values) {
    const names = hostsToRead(loaded, positionals, values);
    // Every host at once: each is its own SSH connection, and a slow one holds up none of the others.
    const outcomes = await readEachHost(loaded, names, values, psHost, true);
    const unreadable = outcomes.some((o) => 'error' in o);
    const down = outcomes.some((o) => !('error' in o) && o.services.some((s) => !s.ok));
    if (values.json) process.stdout.write(`${JSON.stringify({ ok: !unreadable && !down, hosts: outcomes }, null, 2)}\n`);
    else process.stdout.write(formatPs(outcomes));
    return unreadable ? 2 : down ? 1 : 0;
  },
});
