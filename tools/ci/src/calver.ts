/**
 * The project's release tags are CalVer: `vYYYY.MM.DD` (UTC) for the first release of a day, then
 * `vYYYY.MM.DD.1`, `.2`...: a release says when it was cut, and a homelab's history reads by date.
 */
export function nextCalVer(now: Date, existing: readonly string[]): string {
  const day = `v${now.getUTCFullYear()}.${String(now.getUTCMonth() + 1).padStart(2, '0')}.${String(now.getUTCDate()).padStart(2, '0')}`;
  const taken = new Set(existing.map((t) => t.trim()));
  if (!taken.has(day)) return day;
  let n = 1;
  while (taken.has(`${day}.${n}`)) n++;
  return `${day}.${n}`;
}
