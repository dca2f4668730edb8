// The twin's stand-in for Debian's prometheus-node-exporter (not installed on this machine): reads
// the rendered /etc/default/prometheus-node-exporter, listens where its ARGS say
// (--web.listen-address) and answers /metrics in Prometheus's text format: one gauge saying it is a
// stand-in, then every *.prom file of its textfile folder (--collector.textfile.directory), as the
// real collector serves them. Usage: node twin-metrics.mjs <defaults file>
import { createServer } from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = /^ARGS="(.*)"$/m.exec(readFileSync(process.argv[2], 'utf8'))?.[1] ?? '';
const flag = (name) => args.split(/\s+/).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const listen = flag('web.listen-address') ?? ':9100';
const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
const host = listen.slice(0, listen.lastIndexOf(':')) || undefined;
const textfiles = flag('collector.textfile.directory');

function body() {
  const parts = ['# HELP twin_node_exporter_standin 1: the twin\'s stand-in for node-exporter answered.', '# TYPE twin_node_exporter_standin gauge', 'twin_node_exporter_standin 1', ''];
  if (textfiles && existsSync(textfiles)) {
    for (const f of readdirSync(textfiles).filter((n) => n.endsWith('.prom')).sort()) parts.push(readFileSync(join(textfiles, f), 'utf8'));
  }
  return parts.join('\n');
}

createServer((req, res) => {
  if ((req.url ?? '/').split('?')[0] !== '/metrics') {
    res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/plain' });
    return res.end('node-exporter (twin stand-in)\n');
  }
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(body());
}).listen(port, host);
