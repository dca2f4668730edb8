// `zfs` in the twin's Proxmox and offsite namespaces: the real zfs (zfs-fuse, pool version 23),
// with what it cannot hold mapped to the nearest value it can (compression=lz4 -> on,
// recordsize=1M -> 128K, xattr=sa -> on; acltype does not exist there) and reported back as
// wanted, so the lab's dataset plan applies and converges. Every mapping is logged for the report.
// Also emulates what its CLI lacks: `get -t`, `list -p`, properties it does not know.
// Usage: node zfs-map.mjs <shadow.json> <mappings.log> zfs-args...
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const [shadowPath, mapLog, ...args] = process.argv.slice(2);
const REAL = '/usr/sbin/zfs';
const shadow = existsSync(shadowPath) ? JSON.parse(readFileSync(shadowPath, 'utf8')) : {};
const save = () => writeFileSync(shadowPath, JSON.stringify(shadow, null, 1));

const K = 1024;
const bytes = (v) => {
  const m = /^(\d+(?:\.\d+)?)([KMG]?)$/i.exec(v);
  return m ? Number(m[1]) * { '': 1, K, M: K * K, G: K * K * K }[m[2].toUpperCase()] : NaN;
};
/** The value zfs-fuse takes instead, or null when it has no such property at all. */
const RULES = {
  compression: (v) => (/^(lz4|zstd.*)$/.test(v) ? 'on' : v),
  recordsize: (v) => (bytes(v) > 128 * K ? '128K' : v),
  xattr: (v) => (v === 'sa' ? 'on' : v),
  acltype: () => null,
  dnodesize: () => null,
};
const UNKNOWN_DEFAULTS = { acltype: 'off', dnodesize: 'legacy', receive_resume_token: '-' };

/**
 * Applied as asked, but zfs-fuse reports them wrong: a readonly=on dataset is mounted read-only
 * (writes fail with EROFS) yet `zfs get` says `off temporary`. The set value is reported instead.
 */
const MISREPORTED = new Set(['readonly']);

function mapProperty(dataset, prop, value, how) {
  if (MISREPORTED.has(prop)) {
    (shadow[dataset] ??= {})[prop] = value;
    appendFileSync(mapLog, `${prop}=${value} on ${dataset}: applied; zfs-fuse reports ${prop} as a temporary mount value, so the twin reports the value set [zfs ${how}]\n`);
    return `${prop}=${value}`;
  }
  const rule = RULES[prop];
  if (!rule) return `${prop}=${value}`;
  const mapped = rule(value);
  // Recorded either way: a child's own value must win over a parent's mapped one.
  (shadow[dataset] ??= {})[prop] = value;
  if (mapped === value) return `${prop}=${value}`;
  appendFileSync(mapLog, `${prop}=${value} on ${dataset}: ${mapped === null ? `zfs-fuse has no ${prop}; recorded, not applied` : `applied as ${prop}=${mapped} (zfs-fuse cannot hold ${value})`} [zfs ${how}]\n`);
  return mapped === null ? null : `${prop}=${mapped}`;
}

function real(argv, opts = {}) {
  return spawnSync(REAL, argv, { stdio: opts.capture ? ['inherit', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}
const passthrough = (argv) => process.exit(real(argv).status ?? 1);

function create(rest) {
  const dataset = rest[rest.length - 1];
  const out = [];
  for (let i = 0; i < rest.length - 1; i++) {
    if (rest[i] === '-o') {
      const [p, ...v] = rest[++i].split('=');
      const m = mapProperty(dataset, p, v.join('='), 'create');
      if (m) out.push('-o', m);
    } else out.push(rest[i]);
  }
  save();
  passthrough(['create', ...out, dataset]);
}

function set(rest) {
  const dataset = rest[rest.length - 1];
  const props = rest.slice(0, -1).map((a) => {
    const [p, ...v] = a.split('=');
    return mapProperty(dataset, p, v.join('='), 'set');
  });
  save();
  const kept = props.filter(Boolean);
  if (kept.length) passthrough(['set', ...kept, dataset]);
}

function inherit(rest) {
  const dataset = rest[rest.length - 1];
  const prop = rest[rest.length - 2];
  if (shadow[dataset]) delete shadow[dataset][prop];
  save();
  if (RULES[prop]?.('x') === null || prop in UNKNOWN_DEFAULTS) return;
  passthrough(['inherit', ...rest]);
}

const typeOf = (name) => (name.includes('@') ? 'snapshot' : name.includes('#') ? 'bookmark' : 'filesystem');

/** The wanted value where the twin mapped one, on the dataset itself or inherited from an ancestor. */
function shadowed(name, prop) {
  const base = name.split('@')[0];
  const parts = base.split('/');
  for (let i = parts.length; i > 0; i--) {
    const d = parts.slice(0, i).join('/');
    const v = shadow[d]?.[prop];
    if (v !== undefined) return { value: v, source: d === base && !name.includes('@') ? 'local' : `inherited from ${d}` };
  }
  return undefined;
}

function get(rest) {
  const flags = { H: false, p: false, r: false };
  let depth;
  let fields = ['name', 'property', 'value', 'source'];
  let types;
  const positional = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        if (c === 'o' || c === 't' || c === 'd' || c === 's') {
          const v = a.slice(j + 1) || rest[++i];
          if (c === 'o') fields = v === 'all' ? fields : v.split(',');
          if (c === 't') types = v.split(',');
          if (c === 'd') depth = v;
          break;
        }
        flags[c] = true;
      }
    } else positional.push(a);
  }
  const [propList, ...targets] = positional;
  const props = propList === 'all' ? ['all'] : propList.split(',');
  const known = props.filter((p) => !(p in UNKNOWN_DEFAULTS) && RULES[p]?.('x') !== null);
  const argv = ['get', '-H', '-o', 'name,property,value,source', ...(flags.p ? ['-p'] : []), ...(flags.r ? ['-r'] : []), ...(depth ? ['-d', depth] : []), known.length ? known.join(',') : 'type', ...targets];
  const r = real(argv, { capture: true });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(r.status ?? 1);
  }
  let rows = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
  const names = [...new Set(rows.map((x) => x[0]))];
  if (!known.length) rows = [];
  for (const name of names) {
    for (const prop of props.filter((p) => !known.includes(p))) {
      const s = shadowed(name, prop);
      rows.push([name, prop, s?.value ?? UNKNOWN_DEFAULTS[prop] ?? '-', s?.source ?? (UNKNOWN_DEFAULTS[prop] ? 'default' : '-')]);
    }
  }
  rows = rows.map(([name, prop, value, source]) => {
    const s = RULES[prop] || (MISREPORTED.has(prop) && source === 'temporary') ? shadowed(name, prop) : undefined;
    if (!s) return [name, prop, value, source];
    return [name, prop, flags.p && prop === 'recordsize' ? String(bytes(s.value)) : s.value, s.source];
  });
  if (types) rows = rows.filter(([name]) => types.includes(typeOf(name)) || (types.includes('volume') && false));
  const order = new Map(names.map((n, i) => [n, i]));
  rows.sort((a, b) => order.get(a[0]) - order.get(b[0]) || props.indexOf(a[1]) - props.indexOf(b[1]));
  const col = { name: 0, property: 1, value: 2, source: 3 };
  const lines = rows.map((x) => fields.map((f) => x[col[f]] ?? '-').join('\t'));
  if (!flags.H) lines.unshift(fields.map((f) => f.toUpperCase()).join('\t'));
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
}

function list(rest) {
  passthrough(['list', ...rest.flatMap((a) => (a === '-p' ? [] : /^-[A-Za-z]*p[A-Za-z]*$/.test(a) ? [a.replace('p', '')] : [a]))]);
}

const [cmd, ...rest] = args;
if (cmd === 'create') create(rest);
else if (cmd === 'set') set(rest);
else if (cmd === 'inherit') inherit(rest);
else if (cmd === 'get') get(rest);
else if (cmd === 'list') list(rest);
else passthrough(args);
