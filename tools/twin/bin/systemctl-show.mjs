// `systemctl show` as systemd 252 (Debian 12, Proxmox VE 8) answers it, for the twin's systemctl
// stand-ins (a container's and the node's): one block of KEY=VALUE lines per unit named, blocks
// apart by an empty line, only the properties asked for with -p/--property; a unit with no file
// on disk is LoadState=not-found, as systemd says. Timestamps with --timestamp=unix as @seconds.
// Refuses what systemd refuses: a -p without a property, a --timestamp style it does not know.
import { statSync } from 'node:fs';

const STYLES = ['pretty', 'unix', 'us', 'utc', 'us+utc'];

/** The answer to `systemctl show <args>`; `unit` says what the stand-in knows of one unit. */
export function show(args, unit) {
  const props = [];
  const units = [];
  let style = 'pretty';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-p' || a === '--property') {
      const v = args[++i];
      if (!v) return { code: 1, stderr: `systemctl: option requires an argument -- '${a.replace(/^-+/, '')}'\n` };
      props.push(...v.split(','));
    } else if (a.startsWith('--property=')) props.push(...a.slice(11).split(','));
    else if (a.startsWith('--timestamp=')) {
      style = a.slice(12);
      if (!STYLES.includes(style)) return { code: 1, stderr: `Invalid value: ${style}.\n` };
    } else if (a.startsWith('-')) continue;
    else units.push(a.includes('.') ? a : `${a}.service`);
  }
  const stamp = (file) => {
    if (!file) return '';
    const t = statSync(file).mtime;
    return style === 'unix' ? `@${Math.floor(t.getTime() / 1000)}` : t.toUTCString();
  };
  const blocks = units.map((u) => {
    const k = unit(u);
    const values = {
      Id: u,
      LoadState: k.path ? 'loaded' : 'not-found',
      ActiveState: k.active ? 'active' : 'inactive',
      SubState: k.active ? (k.oneshot ? 'exited' : 'running') : 'dead',
      ActiveEnterTimestamp: k.active ? stamp(k.since) : '',
      NRestarts: '0',
      UnitFileState: k.path ? (k.enabled ? 'enabled' : 'disabled') : '',
    };
    const wanted = props.length > 0 ? props : Object.keys(values);
    return wanted.map((p) => `${p}=${values[p] ?? ''}`).join('\n');
  });
  return { code: 0, stdout: blocks.length > 0 ? `${blocks.join('\n\n')}\n` : '' };
}
