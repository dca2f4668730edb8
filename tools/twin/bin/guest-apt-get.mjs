// apt-get inside a twin container: the real apt-get of the container's own Debian (its own
// /usr), with each source the container has configured replaced by the twin's copy of it,
// because the container has no route out:
//   deb.debian.org (bookworm*)      -> /.twin/mirror/debian: the .debs of Debian's archive the lab installs, downloaded once per machine;
//   pkgs.tailscale.com/stable/debian -> /.twin/mirror/tailscale: a stand-in `tailscale` package, only
//       when the source names the keyring (signed-by) and that keyring is on disk, as apt requires.
// A source with no copy is left out (apt-get update would fail to reach it). A package of
// Debian's archive that the twin has not mirrored stops with a message naming the list to add it to.
// Config: /.twin/mirror/sources.json. Usage: node guest-apt-get.mjs args...
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const argv = process.argv.slice(2);
mkdirSync('/var/log/twin', { recursive: true });
appendFileSync('/var/log/twin/apt-get.log', `apt-get ${argv.join(' ')}\n`);
const config = JSON.parse(readFileSync('/.twin/mirror/sources.json', 'utf8'));

function die(message, code = 100) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** The sources the container has configured: one-line .list files and deb822 .sources files. */
function configured() {
  const out = [];
  const oneLine = (file) => {
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      const m = /^\s*deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(raw);
      if (!m) continue;
      const opts = Object.fromEntries((m[1] ?? '').split(/\s+/).filter(Boolean).map((o) => o.split('=')));
      out.push({ file, uri: m[2].replace(/\/$/, ''), suite: m[3], components: m[4].split(/\s+/).filter(Boolean), signedBy: opts['signed-by'] });
    }
  };
  const deb822 = (file) => {
    for (const para of readFileSync(file, 'utf8').split(/\n\s*\n/)) {
      const f = Object.fromEntries([...para.matchAll(/^([\w-]+):\s*(.*)$/gm)].map((m) => [m[1].toLowerCase(), m[2].trim()]));
      if (!(f.types ?? '').split(/\s+/).includes('deb') || f.enabled === 'no') continue;
      for (const uri of (f.uris ?? '').split(/\s+/).filter(Boolean)) for (const suite of (f.suites ?? '').split(/\s+/).filter(Boolean)) out.push({ file, uri: uri.replace(/\/$/, ''), suite, components: (f.components ?? '').split(/\s+/), signedBy: f['signed-by'] });
    }
  };
  if (existsSync('/etc/apt/sources.list')) oneLine('/etc/apt/sources.list');
  const dir = '/etc/apt/sources.list.d';
  if (existsSync(dir)) for (const f of readdirSync(dir).sort()) (f.endsWith('.list') ? oneLine : f.endsWith('.sources') ? deb822 : () => {})(`${dir}/${f}`);
  return out;
}

/** The twin's copy for a configured source, or why there is none. */
function copyOf(s) {
  for (const [name, repo] of Object.entries(config.repos)) {
    if (!repo.uris.includes(s.uri) || !new RegExp(repo.suites).test(s.suite)) continue;
    if (repo.keyring) {
      if (!s.signedBy) return { why: `${s.file}: ${s.uri} names no keyring (signed-by=): apt cannot verify it (NO_PUBKEY)` };
      if (!existsSync(s.signedBy)) return { why: `${s.file}: the keyring ${s.signedBy} does not exist: apt cannot verify ${s.uri}` };
      if (readFileSync(s.signedBy, 'utf8') !== readFileSync(repo.keyring, 'utf8')) return { why: `${s.file}: ${s.signedBy} is not the keyring ${s.uri} is signed with` };
    }
    if (s.uri.startsWith('https:') && !existsSync('/etc/ssl/certs/ca-certificates.crt')) return { why: `${s.file}: ${s.uri} is https, and /etc/ssl/certs/ca-certificates.crt is missing (install ca-certificates): certificate verification fails` };
    return { name, dir: repo.dir };
  }
  return { why: `${s.file}: ${s.uri} ${s.suite}: the twin has no copy of this source (no route out)` };
}

const sources = configured();
const copies = sources.map((s) => ({ s, c: copyOf(s) }));
for (const { c } of copies) if (c.why) process.stderr.write(`twin: ${c.why}\n`);
const used = [...new Map(copies.filter(({ c }) => c.dir).map(({ c }) => [c.name, c.dir])).entries()];
const list = '/var/lib/twin-apt/sources.list';
mkdirSync('/var/lib/twin-apt', { recursive: true });
writeFileSync(list, used.map(([, dir]) => `deb [trusted=yes] file:${dir} ./\n`).join(''));

const words = argv.filter((a) => !a.startsWith('-'));
if (words[0] === 'install') {
  const debian = used.some(([n]) => n === 'debian');
  const names = new Set(readFileSync('/.twin/mirror/debian/debian-names', 'utf8').split('\n'));
  const mirrored = new Set(readFileSync('/.twin/mirror/debian/Packages', 'utf8').match(/^Package: \S+$/gm).map((l) => l.slice(9)));
  for (const p of words.slice(1).map((w) => w.replace(/[=:].*$/, ''))) {
    if (debian && names.has(p) && !mirrored.has(p)) die(`twin: ${p} is in Debian's archive, but not in the twin's copy of it: add it to MIRRORED_PACKAGES (tools/twin/src/lxc/mirror.ts)`);
  }
}
// dpkg without fsync: the container's root is the twin's temp folder, thrown away at teardown (saves most of an install's time).
const r = spawnSync('/usr/bin/apt-get', ['-o', `Dir::Etc::SourceList=${list}`, '-o', 'Dir::Etc::SourceParts=/nonexistent', '-o', 'DPkg::Options::=--force-unsafe-io', ...argv], { stdio: 'inherit' });
process.exit(r.status ?? 100);
