import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_HEALTHCHECK_INTERVAL_MS, durationMs } from '@homelab/kit/internal';

interface ComposeService {
  healthcheck?: { interval?: string; disable?: boolean; test?: unknown };
  depends_on?: string[] | Record<string, { condition?: string }>;
}

/**
 * The least time a host's deploy waits for health, from its rendered compose.yaml: docker runs a
 * container's first healthcheck one interval after it starts (dockerd 20.10 has no
 * start_interval), and compose starts a service only when what it depends on is healthy (or
 * started). The longest such chain, in seconds: the twin boots the VM with the longest one first.
 */
export function healthChainSeconds(distDir: string): number {
  const doc = parse(readFileSync(join(distDir, 'compose.yaml'), 'utf8')) as { services?: Record<string, ComposeService> };
  const services = doc.services ?? {};
  const memo = new Map<string, number>();
  const seconds = (name: string, seen: ReadonlySet<string>): number => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const s = services[name];
    if (!s || seen.has(name)) return 0;
    const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
    const after = Math.max(0, ...deps.map((d) => seconds(d, new Set([...seen, name]))));
    const checked = s.healthcheck !== undefined && s.healthcheck.disable !== true;
    const own = checked ? (durationMs(s.healthcheck?.interval ?? '') ?? DEFAULT_HEALTHCHECK_INTERVAL_MS) / 1000 : 0;
    memo.set(name, after + own);
    return after + own;
  };
  return Math.max(0, ...Object.keys(services).map((n) => seconds(n, new Set())));
}
