// What the twin's Proxmox stand-ins share: the node's configuration (the twin's config file,
// argv[2]), guest state, and guest configuration files as Proxmox keeps them in /etc/pve.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));

export function die(message, code = 255) {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
export const statePath = (kind, vmid) => `${cfg.state}/${kind}-${vmid}`;
export const confPath = (kind, vmid) => `/etc/pve/nodes/${cfg.node}/${kind === 'lxc' ? 'lxc' : 'qemu-server'}/${vmid}.conf`;
export const running = (kind, vmid) => existsSync(statePath(kind, vmid)) && readFileSync(statePath(kind, vmid), 'utf8') === 'running';
export const setState = (kind, vmid, s) => writeFileSync(statePath(kind, vmid), s);

/** `--key value` pairs (and bare flags) in order. */
export function options(list) {
  const out = [];
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    if (!a.startsWith('--')) die(`${process.argv[3]}: unexpected argument '${a}'`);
    out.push([a.slice(2), list[i + 1] ?? '']);
    i++;
  }
  return out;
}

export function readConf(kind, vmid) {
  const p = confPath(kind, vmid);
  if (!existsSync(p)) die(`Configuration file '${p.replace(`/nodes/${cfg.node}`, '')}' does not exist`, 2);
  return readFileSync(p, 'utf8');
}

/** Sets and deletes options of the main section (before the first [section]); the description as leading # lines. */
export function editConf(text, set, del) {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => l.startsWith('['));
  const main = end < 0 ? lines : lines.slice(0, end);
  const rest = end < 0 ? [] : lines.slice(end);
  let desc = main.filter((l) => l.startsWith('#'));
  let body = main.filter((l) => !l.startsWith('#') && l.trim() !== '');
  for (const [k, v] of set) {
    if (k === 'description') {
      desc = v.split('\n').map((l) => `#${l.replace(/%/g, '%25').replace(/:/g, '%3A')}`);
      continue;
    }
    const i = body.findIndex((l) => l.startsWith(`${k}:`));
    if (i >= 0) body[i] = `${k}: ${v}`;
    else body.push(`${k}: ${v}`);
  }
  for (const k of del) {
    if (k === 'description') desc = [];
    body = body.filter((l) => !l.startsWith(`${k}:`));
  }
  body.sort((a, b) => (a.startsWith('lxc.') ? 1 : 0) - (b.startsWith('lxc.') ? 1 : 0) || a.localeCompare(b));
  return `${[...desc, ...body].join('\n')}\n${rest.length ? `\n${rest.join('\n')}` : ''}`;
}

/** A storage volume id as a path on the node (the `local` directory storage at /var/lib/vz). */
export function storagePath(volid) {
  const m = /^local:(vztmpl|import|snippets|iso)\/(.+)$/.exec(volid);
  if (!m) return volid;
  const dir = { vztmpl: 'template/cache', import: 'import', snippets: 'snippets', iso: 'template/iso' }[m[1]];
  return `/var/lib/vz/${dir}/${m[2]}`;
}
