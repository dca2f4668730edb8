/**
 * Every key sanoid accepts in a section of sanoid.conf: the keys of `[template_default]` in
 * sanoid.defaults.conf of Debian's sanoid 2.1.0 (/usr/share/sanoid/sanoid.defaults.conf).
 * sanoid dies on any other key ("I don't understand the setting ..."). The system tier proves
 * this list equals the installed file's keys.
 */
export const SANOID_KEYS: readonly string[] = [
  'autoprune',
  'autosnap',
  'capacity_crit',
  'capacity_warn',
  'daily',
  'daily_crit',
  'daily_hour',
  'daily_min',
  'daily_warn',
  'force_post_snapshot_script',
  'frequent_period',
  'frequently',
  'frequently_crit',
  'frequently_warn',
  'hourly',
  'hourly_crit',
  'hourly_min',
  'hourly_warn',
  'monitor',
  'monitor_dont_crit',
  'monitor_dont_warn',
  'monthly',
  'monthly_crit',
  'monthly_hour',
  'monthly_mday',
  'monthly_min',
  'monthly_warn',
  'no_inconsistent_snapshot',
  'path',
  'post_snapshot_script',
  'pre_snapshot_script',
  'process_children_only',
  'prune_defer',
  'pruning_script',
  'recursive',
  'script_timeout',
  'skip_children',
  'use_template',
  'weekly',
  'weekly_crit',
  'weekly_hour',
  'weekly_min',
  'weekly_wday',
  'weekly_warn',
  'yearly',
  'yearly_crit',
  'yearly_hour',
  'yearly_mday',
  'yearly_min',
  'yearly_mon',
  'yearly_warn',
];

/** The keys of `[template_default]` in a sanoid.defaults.conf text, sorted (what sanoid checks user keys against). */
export function sanoidDefaultsKeys(text: string): string[] {
  const keys: string[] = [];
  let inDefault = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      inDefault = section[1] === 'template_default';
      continue;
    }
    const key = /^([^=\s]+)\s*=/.exec(line);
    if (inDefault && key) keys.push(key[1]!);
  }
  return [...new Set(keys)].sort();
}

export function isSanoidKey(key: string): boolean {
  return SANOID_KEYS.includes(key);
}
