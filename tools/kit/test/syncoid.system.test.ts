import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { loadLab, onCalendar, poolHost, renderSyncoid, renderZfsAges, REPLICATION_DONE_SCRIPT, syncoidArgv, ZFS_AGES_SCRIPT, type ProxmoxHostDef } from '../src/internal.js';
import { workspaceRoot } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-syncoid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The long options syncoid's Getopt::Long accepts, read from the installed script. */
function syncoidOptions(path: string): Set<string> {
  const source = readFileSync(path, 'utf8');
  const call = /GetOptions\(\\%args,([\s\S]*?)\) or pod2usage/.exec(source);
  if (!call) throw new Error(`cannot find syncoid's GetOptions in ${path}`);
  const names = [...call[1]!.matchAll(/"([a-z][a-z-]*)(?:\|[a-z])?(?:[=:][si]@?)?"/g)].map((m) => m[1]!);
  return new Set(names);
}

// The syncoid units go through systemd's own parser (`systemd-analyze verify`: unknown keys, a
// calendar it cannot parse, an ExecStart that is not executable), and every option on syncoid's
// command line is one the installed syncoid accepts. Nothing is sent anywhere.
describe('the rendered syncoid units', async () => {
  const analyze = requireTool('systemd-analyze');
  const syncoid = requireTool('syncoid');
  const { lab } = await loadLab(workspaceRoot);
  const node = poolHost(lab) as ProxmoxHostDef;
  const units = renderSyncoid(lab, node).filter((a) => a.kind === 'syncoid');

  it('has a service and a timer for every replicated dataset', () => {
    const datasets = (node.replication ?? []).flatMap((t) => t.datasets);
    expect(units.length).toBe(2 * datasets.length);
  });

  it('pass systemd-analyze verify, with the zfs-ages units and the scripts their Exec lines run', () => {
    // The scripts deploy installs beside the units (/usr/local/sbin on the node), here at a temporary path.
    const ages = renderZfsAges(lab, node);
    const script = (path: string) => {
      const a = ages.find((x) => x.install?.path === path)!;
      const file = join(dir, path.split('/').pop()!);
      writeFileSync(file, a.content, { mode: 0o755 });
      return file;
    };
    const paths: [string, string][] = [[REPLICATION_DONE_SCRIPT, script(REPLICATION_DONE_SCRIPT)], [ZFS_AGES_SCRIPT, script(ZFS_AGES_SCRIPT)]];
    const withScripts = (text: string) => paths.reduce((t, [from, to]) => t.replaceAll(from, to), text);
    expect(units.some((u) => u.content.includes(`ExecStartPost=${REPLICATION_DONE_SCRIPT} `))).toBe(true);
    const files = [...units, ...ages.filter((a) => a.kind === 'systemd')].map((u) => {
      const file = join(dir, u.path.split('/').pop()!);
      writeFileSync(file, withScripts(u.content));
      return file;
    });
    const r = run(analyze, ['verify', '--man=no', ...files]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('use only options the installed syncoid accepts', () => {
    const known = syncoidOptions(syncoid);
    expect(known.has('no-sync-snap')).toBe(true);
    for (const target of node.replication ?? []) {
      for (const ref of target.datasets) {
        const flags = syncoidArgv(target, node.pool, ref.name).filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]!);
        expect(flags.filter((f) => !known.has(f))).toEqual([]);
      }
    }
  });

  it.each(['1h', '2h', '6h', '12h', '1d', '7d'] as const)('every %s gives a calendar systemd parses', (every) => {
    const spec = onCalendar(every, '03:45')!;
    const r = run(analyze, ['calendar', spec]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Normalized form: ${spec}`);
  });

  it('a broken unit fails verify (the check is live)', () => {
    const file = join(dir, 'broken.timer');
    writeFileSync(file, '[Unit]\nDescription=broken\n\n[Timer]\nOnCalendar=every other tuesday\n\n[Install]\nWantedBy=timers.target\n');
    const r = run(analyze, ['verify', '--man=no', file]);
    expect(r.stderr).toContain('Failed to parse calendar specification');
  });
});
