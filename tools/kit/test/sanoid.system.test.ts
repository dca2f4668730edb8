import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { SANOID_KEYS, SNAPSHOT_KINDS, loadLab, poolHost, sanoidConf, sanoidDefaultsKeys, sanoidSections, takesSnapshots, type Lab, type ProxmoxHostDef } from '../src/internal.js';
import { workspaceRoot } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-sanoid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The defaults file of the installed sanoid package (its list of allowed keys). */
function defaultsFile(): string {
  const listed = run('dpkg', ['-L', 'sanoid']).stdout.split('\n').find((l) => l.endsWith('/sanoid.defaults.conf'));
  if (!listed) throw new Error('system tier: the sanoid package has no sanoid.defaults.conf; run tools/testing/install-system-deps.sh');
  return listed;
}

/**
 * Runs sanoid on a config in a folder of its own. sanoid 2.1 reads the defaults from
 * /usr/share/sanoid; newer versions read them from --configdir, so they go there too. Without a
 * pool, sanoid still parses and checks the whole file first (init()), then finds no snapshots
 * (its `zfs get` fails on stderr) and plans from nothing: every due snapshot is "taken".
 */
function sanoid(name: string, conf: string, ...args: string[]) {
  const bin = requireTool('sanoid');
  const configdir = join(dir, name);
  mkdirSync(configdir, { recursive: true });
  writeFileSync(join(configdir, 'sanoid.conf'), conf);
  copyFileSync(defaultsFile(), join(configdir, 'sanoid.defaults.conf'));
  return run(bin, ['--configdir', configdir, '--cache-dir', join(configdir, 'cache'), '--run-dir', join(configdir, 'run'), '--readonly', '--verbose', ...args]);
}

/** sanoid's complaints about the config itself (zfs's own errors without a pool are not ours). */
const CONFIG_COMPLAINT = /FATAL|don't understand|ignored key|WARN|CRITICAL|unknown/i;

describe('sanoid reads the rendered sanoid.conf', async () => {
  const { lab } = await loadLab(workspaceRoot);
  const node = poolHost(lab) as ProxmoxHostDef;

  it('the kit knows exactly the keys of the installed sanoid.defaults.conf', () => {
    expect([...SANOID_KEYS].sort()).toEqual(sanoidDefaultsKeys(readFileSync(defaultsFile(), 'utf8')));
  });

  it('parses it without a complaint', () => {
    const r = sanoid('parse', sanoidConf(lab, node));
    expect(r.stderr).not.toMatch(CONFIG_COMPLAINT);
    expect(r.code, r.stderr).toBe(0);
  });

  it('would take exactly the snapshot kinds each dataset\'s policy keeps (no sanoid default leaks in)', () => {
    const r = sanoid('take', sanoidConf(lab, node), '--take-snapshots');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(CONFIG_COMPLAINT);
    const taken = new Map<string, string[]>();
    for (const m of r.stdout.matchAll(/^taking snapshot (\S+)@autosnap_\S+_(\w+ly)$/gm)) {
      taken.set(m[1]!, [...(taken.get(m[1]!) ?? []), m[2]!].sort());
    }
    expect(Object.fromEntries(taken)).toEqual(expectedKinds(lab, node));
  });

  it('refuses a key it does not know (the check is live)', () => {
    const r = sanoid('unknown', `${sanoidConf(lab, node)}\n[template_broken]\n\tprune_defered = 80\n`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("I don't understand the setting prune_defered");
  });
});

/** From the model: dataset -> the kinds sanoid should take a first snapshot of. */
function expectedKinds(lab: Lab, node: ProxmoxHostDef): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [dataset, policy] of sanoidSections(lab, node).datasets) {
    if (!takesSnapshots(policy)) continue;
    out[dataset] = SNAPSHOT_KINDS.filter((k) => (policy.keep[k] ?? 0) > 0).sort();
  }
  return out;
}
