import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireTool, run } from '@homelab/testing';
import { renderedOfKind } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'homelab-nfs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The export paths of an exports(5) file. */
function exportPaths(content: string): string[] {
  return content.split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split(/\s+/)[0]!);
}

/**
 * Runs `exportfs -r -v` on an exports file without touching this machine's NFS state: in new
 * mount and network namespaces (`unshare -m -n`), a throwaway root holds the system's /usr and
 * /etc (bound), with bind mounts over /etc/exports (the file under test), /etc/exports.d (empty)
 * when this machine has it, and /var/lib/nfs (empty). The export paths exist as folders on a real disk file system (exportfs
 * asks tmpfs for an fsid=), bound in under their own top-level names (/tank).
 */
function exportfs(name: string, content: string) {
  const work = join(dir, name);
  const data = join(work, 'data');
  for (const p of exportPaths(content)) mkdirSync(join(data, p), { recursive: true });
  mkdirSync(join(work, 'root'), { recursive: true });
  mkdirSync(join(work, 'state'), { recursive: true });
  mkdirSync(join(work, 'exports.d'), { recursive: true });
  writeFileSync(join(work, 'exports'), content);
  const tops = [...new Set(exportPaths(content).map((p) => p.split('/')[1]!))];
  const script = `set -eu
W=${JSON.stringify(work)}
R="$W/root"
mount --make-rprivate /
mount -t tmpfs tmpfs "$R"
for d in usr etc; do mkdir "$R/$d"; mount --rbind "/$d" "$R/$d"; done
for l in bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$l" ]; then ln -s "$(readlink "/$l")" "$R/$l"; elif [ -d "/$l" ]; then mkdir "$R/$l"; mount --rbind "/$l" "$R/$l"; fi
done
mkdir -p "$R/proc" "$R/var/lib/nfs" "$R/run" "$R/tmp"
mount -t proc proc "$R/proc"
mount --bind "$W/state" "$R/var/lib/nfs"
mount --bind "$W/exports" "$R/etc/exports"
if [ -d "$R/etc/exports.d" ]; then mount --bind "$W/exports.d" "$R/etc/exports.d"; fi
for t in ${tops.map((t) => JSON.stringify(t)).join(' ')}; do mkdir "$R/$t"; mount --bind "$W/data/$t" "$R/$t"; done
chroot "$R" /usr/sbin/exportfs -r -v
`;
  writeFileSync(join(work, 'run.sh'), script);
  const r = run(requireTool('unshare'), ['-m', '-n', 'sh', join(work, 'run.sh')]);
  return { ...r, etab: readFileSync(join(work, 'state', 'etab'), { encoding: 'utf8', flag: 'a+' }) };
}

describe('exportfs -r', async () => {
  requireTool('exportfs');
  requireTool('unshare');
  requireTool('chroot');
  const cases = await renderedOfKind('nfs-exports');
  const etabBefore = readFileSync('/var/lib/nfs/etab', { encoding: 'utf8', flag: 'a+' });

  it('has exports files to check', () => expect(cases.length).toBeGreaterThan(0));

  it.each(cases)('exports every line of %s without a warning', (_name, { host, artifact }) => {
    const r = exportfs(host.name, artifact.content);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const path of exportPaths(artifact.content)) {
      expect(r.stdout).toContain(`:${path}`);
      expect(r.etab).toContain(`${path}\t`);
    }
  });

  it('leaves this machine\'s export table alone', () => {
    expect(readFileSync('/var/lib/nfs/etab', { encoding: 'utf8', flag: 'a+' })).toBe(etabBefore);
  });

  it('fails on an unknown option (the check is live)', () => {
    const r = exportfs('broken', '/tank/x 192.168.0.0/24(ro,bogus)\n');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown keyword "bogus"/);
  });
});
