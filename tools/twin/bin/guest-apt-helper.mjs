// /usr/lib/apt/apt-helper inside a twin container (bound over the real one): the container has no
// route out, so `download-file URI FILE [SHA256:hash]` writes the twin's stand-in file for the
// downloads it knows (/.twin/mirror/downloads.json: the upstream URLs deploy pins) and fails, as apt
// would fail to reach the host, for any other URI. https needs the CA bundle (ca-certificates),
// as apt's https method does. The pinned hash is not checked: the stand-in file is not upstream's.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';

const [cmd, uri, file, hash] = process.argv.slice(2);
function die(message, code = 100) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
if (cmd !== 'download-file') die(`twin: apt-helper ${cmd} is not one of the calls the twin stands in for`);
if (!uri || !file) die('E: Must specify at least one SRC DEST pair');
if (hash !== undefined && !/^SHA256:[0-9a-f]{64}$/.test(hash)) die(`E: twin: ${hash} is not a SHA256:<64 hex> hash`);
const downloads = JSON.parse(readFileSync('/.twin/mirror/downloads.json', 'utf8'));
const d = downloads[uri];
const host = /^\w+:\/\/([^/]+)/.exec(uri)?.[1] ?? uri;
if (!d) die(`Err:1 ${uri}\n  Could not resolve '${host}'\nE: Download Failed (twin: ${uri} is not one of the upstream downloads the twin stands in for: ${Object.keys(downloads).join(', ')})`);
if (uri.startsWith('https:') && !existsSync('/etc/ssl/certs/ca-certificates.crt')) die(`Err:1 ${uri}\n  Certificate verification failed: The certificate is NOT trusted. (twin: /etc/ssl/certs/ca-certificates.crt is missing: install ca-certificates)\nE: Download Failed`);
copyFileSync(d.file, file);
process.stdout.write(`Get:1 ${uri} (twin: ${d.note})\n`);
