import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureTargetEnv, repoRoot, startSshd, type TestSshd } from '@homelab/testing';
import { homelabEnv, show } from './deploy-support.js';

// `homelab drift pve` over a real SSH session: the test sshd's sessions find stand-ins for pct,
// qm and zfs first on their PATH (bound over /usr/local/sbin in sshd's own mount namespace only).
// The stand-ins print what a node would: each guest's configuration as its build renders it (in
// the file format the twin's stand-in prints) and recorded `zfs list`/`zfs get` outputs. The
// release of the Proxmox host on it is its dist/ as `homelab build` makes it in this repository.
let dir: string;
let answers: string;
let sshd: TestSshd;
let env: NodeJS.ProcessEnv;
let releaseRoot: string;
const guests: { host: string; tool: 'pct' | 'qm'; vmid: number; conf: string }[] = [];

const STANDIN = (dir: string) => `#!/bin/sh
# A node's pct / qm / zfs for the drift test: prints the answers in ${dir}.
tool=\${0##*/}
case "$tool $1" in
  "pct config"|"qm config") f="${dir}/$tool-config-$2.txt"
    if [ -f "$f" ]; then cat "$f"; else echo "Configuration file 'nodes/pve/$2.conf' does not exist" >&2; exit 2; fi ;;
  "zfs list") cat "${dir}/zfs-list.txt" ;;
  "zfs get") cat "${dir}/zfs-get.txt" ;;
  *) echo "stand-in $tool: not recorded: $*" >&2; exit 1 ;;
esac
`;

const zfsFixture = (scenario: string, file: string) => readFileSync(join(repoRoot, 'tools', 'kit', 'test', 'fixtures', 'zfs', scenario, file), 'utf8');
const cli = (...args: string[]) => homelabEnv(repoRoot, env, ...args);

function answer(name: string, content: string | undefined): void {
  const path = join(answers, name);
  if (content === undefined) rmSync(path, { force: true });
  else writeFileSync(path, content);
}

function nodeAsRendered(): void {
  for (const g of guests) answer(`${g.tool}-config-${g.vmid}.txt`, g.conf);
  answer('zfs-list.txt', zfsFixture('converged', 'zfs-list.txt'));
  answer('zfs-get.txt', zfsFixture('converged', 'zfs-get.txt'));
}

interface DriftDoc {
  findings: { code: string; severity: string; host: string; what: string; expected: string; actual: string }[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'homelab-drift-pve-sys-'));
  answers = join(dir, 'answers');
  const bin = join(dir, 'bin');
  mkdirSync(answers, { recursive: true });
  mkdirSync(bin, { recursive: true });
  for (const tool of ['pct', 'qm', 'zfs']) {
    writeFileSync(join(bin, tool), STANDIN(answers));
    chmodSync(join(bin, tool), 0o755);
  }
  sshd = await startSshd(join(dir, 'sshd'), { binds: [[bin, '/usr/local/sbin']] });
  releaseRoot = join(dir, 'releases-root');
  env = { ...process.env, CI: 'true', HOMELAB_SSH_CONFIG: 'none', HOMELAB_SSH_KNOWN_HOSTS: 'none', ...fixtureTargetEnv('pve', sshd, releaseRoot) };
  delete env.SSH_AUTH_SOCK;
  const built = cli('build');
  expect(built.code, show(built)).toBe(0);
  for (const host of readdirSync(join(repoRoot, 'packages'))) {
    const manifestPath = join(repoRoot, 'packages', host, 'dist', 'manifest.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { artifacts: { path: string; kind: string; sha256: string }[] };
    for (const a of manifest.artifacts.filter((x) => x.kind === 'pve-lxc' || x.kind === 'pve-qemu')) {
      guests.push({ host, tool: a.kind === 'pve-lxc' ? 'pct' : 'qm', vmid: Number(/(\d+)\.conf$/.exec(a.path)![1]), conf: readFileSync(join(repoRoot, 'packages', host, 'dist', a.path), 'utf8') });
    }
    if (host === 'pve') {
      // The Proxmox host's release as a deploy leaves it: dist/ as built, release.json, current.
      const release = join(releaseRoot, 'pve', 'releases', 'r1');
      cpSync(join(repoRoot, 'packages', 'pve', 'dist'), release, { recursive: true });
      const info = { id: 'r1', host: 'pve', project: 'pve', composeFiles: [], services: {}, manifest, secrets: {}, record: { by: 'tester@ci', commit: 'fixture', at: '2026-01-01T00:00:00Z' } };
      writeFileSync(join(release, 'release.json'), JSON.stringify(info));
      symlinkSync('releases/r1', join(releaseRoot, 'pve', 'current'));
    }
  }
  expect(guests.length).toBeGreaterThan(3);
}, 300_000);

afterAll(async () => {
  await sshd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('homelab drift pve over SSH, with pct / qm / zfs stand-ins on the node', () => {
  it('finds nothing on a node as rendered (exit 0)', () => {
    nodeAsRendered();
    const r = cli('drift', 'pve');
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('pve: no drift (release r1)');
  }, 60_000);

  it('finds a guest changed and one missing, datasets changed, a file of the release changed (exit 1)', () => {
    nodeAsRendered();
    const [first, second] = guests;
    answer(`${first!.tool}-config-${first!.vmid}.txt`, first!.conf.replace(/^memory: \d+$/m, 'memory: 99999'));
    answer(`${second!.tool}-config-${second!.vmid}.txt`, undefined);
    answer('zfs-get.txt', zfsFixture('drifted', 'zfs-get.txt'));
    const sanoid = join(releaseRoot, 'pve', 'current', 'sanoid.conf');
    writeFileSync(sanoid, `${readFileSync(sanoid, 'utf8')}# edited on the node\n`);
    const r = cli('drift', 'pve', '--json');
    expect(r.code, show(r)).toBe(1);
    const doc = JSON.parse(r.stdout) as DriftDoc;
    const what = doc.findings.filter((f) => f.severity === 'error').map((f) => `${f.code} ${f.what}`);
    expect(what).toContain(`drift-guest-option guests/${first!.vmid}/memory`);
    expect(what).toContain(`drift-guest-missing guests/${second!.vmid}`);
    expect(what).toContain('drift-file files/sanoid.conf');
    expect(what).toContain('drift-dataset-property zfs/tank/media/compression');
    expect(what.filter((w) => w.includes('guests/'))).toHaveLength(2);
    expect(doc.findings.find((f) => f.what === `guests/${first!.vmid}/memory`)).toMatchObject({ host: 'pve', actual: '99999' });
  }, 60_000);
});
