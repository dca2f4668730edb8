// apt-get inside a twin container: nothing may be installed (the container's /usr is the
// machine's, read-only), so `install` records each package in the container's own dpkg status
// file, where dpkg-query (deploy's check) finds it installed; the daemon's unit is the twin's
// (units.json). Any other apt-get call is only recorded. Usage: node guest-apt-get.mjs args...
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
mkdirSync('/var/log/twin', { recursive: true });
appendFileSync('/var/log/twin/apt-get.log', `apt-get ${argv.join(' ')}\n`);
const words = argv.filter((a) => !a.startsWith('-'));
if (words[0] === 'install') {
  mkdirSync('/var/lib/dpkg', { recursive: true });
  const status = '/var/lib/dpkg/status';
  const have = existsSync(status) ? readFileSync(status, 'utf8') : '';
  for (const pkg of words.slice(1)) {
    if (new RegExp(`^Package: ${pkg}$`, 'm').test(have)) continue;
    appendFileSync(status, `Package: ${pkg}\nStatus: install ok installed\nVersion: 0-twin\nArchitecture: all\nMaintainer: twin <twin@localhost>\nDescription: stand-in recorded by the twin's apt-get\n\n`);
  }
}
