/**
 * Compose's value formats, as `docker compose` parses them: durations (compose-go types/duration.go,
 * str2duration.ParseDuration) and byte sizes (compose-go types/bytes.go, go-units RAMInBytes).
 */

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Docker's healthcheck interval when a service sets none (moby's defaultProbeInterval): the first check runs one interval after the start. */
export const DEFAULT_HEALTHCHECK_INTERVAL_MS = 30_000;

/** "1m30s" -> 90000 (milliseconds); "0" -> 0; "30" (no unit) and "thirty" -> undefined. */
export function durationMs(text: string): number | undefined {
  const m = /^([-+]?)(.+)$/.exec(text);
  if (!m) return undefined;
  if (m[2] === '0') return 0;
  let total = 0;
  let rest = m[2]!;
  while (rest.length > 0) {
    const part = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d|w)/.exec(rest);
    if (!part) return undefined;
    total += Number(part[1]) * DURATION_UNITS[part[2]!]!;
    rest = rest.slice(part[0].length);
  }
  return m[1] === '-' ? -total : total;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** "512m", "128mb", "1.5GiB", "6291456" -> bytes; "lots" -> undefined. */
export function sizeBytes(text: string): number | undefined {
  // go-units' RAMInBytes pattern, then strconv.ParseFloat, which refuses "1.2.3": not a size.
  const m = /^(\d+(?:\.\d+)*) ?([kmgtp])?i?b?$/i.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  return Number.isFinite(value) ? value * SIZE_UNITS[(m[2] ?? '').toLowerCase()]! : undefined;
}
