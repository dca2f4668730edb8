// The twin's stand-in for AdGuard Home (no Debian package): reads the rendered AdGuardHome.yaml
// and answers A queries for its rewrites on its bind_hosts:port, over UDP and TCP as AdGuard
// does, and answers HTTP on its web UI's http.address. Nothing is forwarded upstream (the twin
// has no route out): a name with no rewrite is NXDOMAIN. Usage: node twin-dns.mjs <yaml>
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8');
const dns = text.slice(text.search(/^dns:/m));
const hosts = [...(/bind_hosts:\n((?:\s+- .+\n)+)/.exec(dns)?.[1] ?? '').matchAll(/- (\S+)/g)].map((m) => m[1]);
const port = Number(/^\s+port:\s*(\d+)/m.exec(dns)?.[1] ?? 53);
const rewrites = new Map();
for (const m of text.matchAll(/- domain: (\S+)\n\s+answer: (\S+)(?:\n\s+enabled: (\w+))?/g)) if (m[3] !== 'false') rewrites.set(m[1].toLowerCase(), m[2]);

function answerFor(name) {
  if (rewrites.has(name)) return rewrites.get(name);
  for (const [domain, answer] of rewrites) if (domain.startsWith('*.') && name.endsWith(domain.slice(1))) return answer;
  return undefined;
}

function reply(msg) {
  const id = msg.readUInt16BE(0);
  let o = 12;
  const labels = [];
  while (msg[o] !== 0) {
    labels.push(msg.subarray(o + 1, o + 1 + msg[o]).toString('ascii'));
    o += msg[o] + 1;
  }
  const qend = o + 5;
  const qtype = msg.readUInt16BE(o + 1);
  const address = answerFor(labels.join('.').toLowerCase());
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | (address ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  const a = address && qtype === 1;
  header.writeUInt16BE(a ? 1 : 0, 6);
  const parts = [header, msg.subarray(12, qend)];
  if (a) {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(1, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(4, 10);
    address.split('.').forEach((b, i) => rr.writeUInt8(Number(b), 12 + i));
    parts.push(rr);
  }
  return Buffer.concat(parts);
}

for (const host of hosts) {
  const socket = createSocket('udp4');
  socket.on('message', (msg, from) => {
    try {
      socket.send(reply(msg), from.port, from.address);
    } catch {
      // a malformed query gets no answer
    }
  });
  socket.bind(port, host, () => process.stdout.write(`twin-dns: ${rewrites.size} rewrite(s) on ${host}:${port}\n`));
}

// DNS over TCP: each message behind its two-byte length.
for (const host of hosts) {
  createTcpServer((conn) => {
    let buffered = Buffer.alloc(0);
    conn.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const msg = buffered.subarray(2, 2 + buffered.readUInt16BE(0));
        buffered = buffered.subarray(2 + msg.length);
        try {
          const out = reply(msg);
          const len = Buffer.alloc(2);
          len.writeUInt16BE(out.length, 0);
          conn.write(Buffer.concat([len, out]));
        } catch {
          conn.destroy();
        }
      }
    });
    conn.on('error', () => {});
  }).listen(port, host);
}

// The web UI (reached through the reverse proxy): a page that says what stands in for it.
const ui = /^http:\n\s+address: (\S+):(\d+)/m.exec(text);
if (ui) {
  createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('AdGuard Home (the twin\'s stand-in: DNS rewrites only)\n');
  }).listen(Number(ui[2]), ui[1] === '0.0.0.0' ? undefined : ui[1]);
}
