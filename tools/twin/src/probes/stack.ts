import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A service as the rendered compose.yaml runs it: what the probes check against. */
export interface StackService {
  readonly name: string;
  readonly image: string;
  readonly user?: string;
  readonly secrets: readonly string[];
  readonly volumes: readonly { readonly source: string; readonly target: string; readonly readOnly: boolean }[];
  readonly healthcheck: boolean;
  readonly networkMode?: string;
}

interface ComposeService {
  image: string;
  user?: string;
  secrets?: (string | { source: string; target?: string })[];
  volumes?: string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  network_mode?: string;
}

/** Reads a host's rendered compose.yaml (dist/), the stack exactly as deploy sends it. */
export function readStack(distDir: string): StackService[] {
  const doc = parse(readFileSync(join(distDir, 'compose.yaml'), 'utf8')) as { services?: Record<string, ComposeService> };
  return Object.entries(doc.services ?? {}).map(([name, s]) => ({
    name,
    image: s.image,
    ...(s.user ? { user: s.user } : {}),
    secrets: (s.secrets ?? []).map((x) => (typeof x === 'string' ? x : x.source)),
    volumes: (s.volumes ?? []).flatMap((v) => {
      const [source, target, mode] = v.split(':');
      return source?.startsWith('/') && target ? [{ source, target, readOnly: (mode ?? '').split(',').includes('ro') }] : [];
    }),
    healthcheck: s.healthcheck !== undefined && s.healthcheck.disable !== true,
    ...(s.network_mode ? { networkMode: s.network_mode } : {}),
  }));
}

/** uid:gid -> uid, as a number (names are not resolved: the lab writes numeric users). */
export function uidOf(user: string): number {
  return Number(user.split(':')[0]);
}
