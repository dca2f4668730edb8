import { quote } from '../shell/quote.js';
import type { Migration } from './migrate.js';
import { parseGuestConf, type GuestConf } from './conf.js';
import type { Dialect } from './dialects.js';
import { formatProperty, parseProperty, sameProperty, withoutKeys } from './property-string.js';
import type { PveLxcSetup } from '../render/pve-lxc-setup.js';
import type { PveQemuSetup } from '../render/pve-qemu-setup.js';
import { isQemuSetup, qemuCreateSteps } from './qemu-create.js';
import { runStep, type GuestStep } from './steps.js';
import { allocationValue, gibString, isPathVolume, requestedBytes, storageOf } from './volumes.js';

/** What applying a rendered guest configuration takes on the Proxmox node. */
export interface GuestPlan {
  readonly kind: Dialect['kind'];
  readonly vmid: number;
  readonly exists: boolean;
  readonly steps: readonly GuestStep[];
  /** Changes deploy leaves alone: destructive ones without --force, and ones it cannot make. */
  readonly skipped: readonly string[];
  /** The guest lives on another node of the cluster: its first steps move it (qm/pct migrate). */
  readonly migration?: Migration;
}

export interface GuestPlanInput {
  readonly dialect: Dialect;
  readonly vmid: number;
  /** The rendered /etc/pve/... file (dist/proxmox/<vmid>.conf). */
  readonly desired: string;
  /** The node's file now, or undefined when the guest does not exist. */
  readonly current: string | undefined;
  /** The container template `pct create` starts from (containers only). */
  readonly ostemplate?: string;
  /** Allows destroying: removing options, recreating the guest. */
  readonly force: boolean;
  /** The node the guest lives on (its file is /etc/pve/nodes/<node>/...); default: the node's own /etc/pve/<dir>. */
  readonly node?: string;
  /**
   * The guest's `proxmox/<vmid>.setup.json`: a container's exact create command, mount sources,
   * sub-ids; a VM's exact create and resize commands and the options set from secrets.
   */
  readonly setup?: PveLxcSetup | PveQemuSetup;
}

/** What the node needs before the container starts: sub-id lines, bind-mount sources with their owner. */
function prerequisiteSteps(setup: PveLxcSetup | PveQemuSetup | undefined): GuestStep[] {
  if (!setup || isQemuSetup(setup)) return [];
  const steps: GuestStep[] = [];
  for (const [file, lines] of [['/etc/subuid', setup.subuid], ['/etc/subgid', setup.subgid]] as const) {
    for (const line of lines) steps.push({ kind: 'script', text: `grep -qxF ${quote(line)} ${file} || echo ${quote(line)} >> ${file}`, why: `allow ${line} in ${file}` });
  }
  for (const m of setup.bindMounts) {
    steps.push(runStep(`make the mount source ${m.source}`, 'mkdir', '-p', m.source));
    if (m.owner) steps.push(runStep(`give ${m.source} to ${m.owner}`, 'chown', m.owner, m.source));
  }
  return steps;
}

export function confPath(d: Dialect, vmid: number, node?: string): string {
  return node ? `/etc/pve/nodes/${node}/${d.confDir}/${vmid}.conf` : `/etc/pve/${d.confDir}/${vmid}.conf`;
}

/** Raw lxc.* lines cannot be set through pct: the file's own lines are replaced, the rest kept. */
function rawLinesStep(d: Dialect, vmid: number, raw: GuestConf['raw'], node?: string): GuestStep {
  const f = quote(confPath(d, vmid, node));
  const lines = raw.map(([k, v]) => quote(`${k}: ${v}`)).join(' ');
  const text = [
    `t=${f}.tmp.$$`,
    `{ sed -n '1,/^\\[/{/^\\[/!p}' ${f} | grep -v '^lxc\\.' || true; ${raw.length ? `printf '%s\\n' ${lines}; ` : ''}sed -n '/^\\[/,$p' ${f}; } > "$t"`,
    `mv "$t" ${f}`,
  ].join('\n');
  return { kind: 'script', text, why: `set the raw lxc.* lines of ${vmid} (pct cannot)` };
}

function sshkeysSteps(vmid: number, value: string): { before: GuestStep[]; arg: string; after: GuestStep[] } {
  // qm reads --sshkeys from a file and URL-encodes it itself; the config holds it encoded.
  const file = `/tmp/homelab-${vmid}-sshkeys.pub`;
  return {
    before: [{ kind: 'write', path: file, content: decodeURIComponent(value).replace(/\n?$/, '\n'), mode: '0600', why: 'the SSH keys qm reads from a file' }],
    arg: file,
    after: [runStep('remove the SSH keys file', 'rm', '-f', file)],
  };
}

function createSteps(input: GuestPlanInput, want: GuestConf): { steps: GuestStep[]; problem?: string } {
  const { dialect: d, vmid } = input;
  if (isQemuSetup(input.setup)) return { steps: qemuCreateSteps(input.setup, input.desired, confPath(d, vmid, input.node), want.options.get('onboot') === '1') };
  if (input.setup) {
    // The renderer's exact create command, then the rendered file over what it wrote (the
    // volume it names is the one the command allocates), then the start.
    const steps: GuestStep[] = [
      ...prerequisiteSteps(input.setup),
      runStep(`create ${d.noun} ${vmid}`, ...input.setup.create),
      { kind: 'write', path: confPath(d, vmid, input.node), content: input.desired, why: `write the configuration of ${vmid}` },
    ];
    if (want.options.get('onboot') === '1') steps.push(runStep(`start ${vmid} (onboot)`, d.cli, 'start', String(vmid)));
    return { steps };
  }
  if (d.kind === 'lxc' && !input.ostemplate) {
    return { steps: [], problem: `container ${vmid} does not exist and its host names no ostemplate to create it from (ostemplate in the host's defineLxc).` };
  }
  const argv: string[] = [d.cli, 'create', String(vmid), ...(d.kind === 'lxc' ? [input.ostemplate!] : [])];
  const before: GuestStep[] = [];
  const after: GuestStep[] = [];
  for (const [key, value] of want.options) {
    if (d.isAuto(key)) continue;
    if (key === 'sshkeys') {
      const s = sshkeysSteps(vmid, value);
      before.push(...s.before);
      after.push(...s.after);
      argv.push('--sshkeys', s.arg);
      continue;
    }
    argv.push(`--${key}`, d.createValue?.(key, value) ?? (d.isVolume(key, value) ? allocationValue(value) : value));
  }
  if (want.description !== undefined) argv.push('--description', want.description);
  const steps = [...before, runStep(`create ${d.noun} ${vmid}`, ...argv), ...after];
  if (want.raw.length > 0) steps.push(rawLinesStep(d, vmid, want.raw, input.node));
  if (want.options.get('onboot') === '1') steps.push(runStep(`start ${vmid} (onboot)`, d.cli, 'start', String(vmid)));
  return { steps };
}

/** The value to compare: cloud-init drives by storage (Proxmox names the volume itself). */
function comparable(d: Dialect, key: string, value: string): string {
  const created = d.createValue?.(key, value);
  if (!created) return value;
  return formatProperty({ head: created, keys: withoutKeys(parseProperty(value), ['size']).keys });
}

function volumeChange(d: Dialect, vmid: number, key: string, want: string, have: string, set: [string, string][], steps: GuestStep[], skipped: string[]): void {
  const w = parseProperty(want);
  const h = parseProperty(have);
  if (isPathVolume(w.head) || isPathVolume(h.head)) {
    if (!sameProperty(withoutKeys(w, ['size']), withoutKeys(h, ['size']))) set.push([key, want]);
    return;
  }
  if (storageOf(w.head) !== storageOf(h.head)) {
    skipped.push(`${key}: moving it from ${storageOf(h.head)} to ${storageOf(w.head)} is not done by deploy (${d.cli === 'pct' ? 'pct move-volume' : 'qm disk move'} ${vmid} ${key} ${storageOf(w.head)}).`);
    return;
  }
  const wantBytes = requestedBytes(w);
  const haveBytes = requestedBytes(h);
  if (wantBytes !== undefined && haveBytes !== undefined && wantBytes > haveBytes) {
    steps.push(runStep(`grow ${key} to ${gibString(wantBytes)}`, d.cli, 'resize', String(vmid), key, gibString(wantBytes)));
  } else if (wantBytes !== undefined && haveBytes !== undefined && wantBytes < haveBytes) {
    skipped.push(`${key}: shrinking it from ${gibString(haveBytes)} to ${gibString(wantBytes)} is not possible; it stays at ${gibString(haveBytes)}.`);
  }
  const wantOpts = withoutKeys(w, ['size']);
  const haveOpts = withoutKeys(h, ['size']);
  if (!sameProperty({ keys: wantOpts.keys }, { keys: haveOpts.keys })) set.push([key, formatProperty({ head: h.head!, keys: wantOpts.keys })]);
}

/**
 * The steps that make the node's guest match the rendered file: `create` when it does not
 * exist; otherwise `set` with only the changed options, `resize` for grown disks, the raw lines
 * rewritten. Removing options and recreating need `force`; moving or shrinking disks is never done.
 */
export function planGuest(input: GuestPlanInput): GuestPlan {
  const { dialect: d, vmid, force } = input;
  const want = parseGuestConf(input.desired);
  const skipped: string[] = [];
  if (input.current === undefined) {
    const created = createSteps(input, want);
    if (created.problem) skipped.push(created.problem);
    return { kind: d.kind, vmid, exists: false, steps: created.steps, skipped };
  }
  const have = parseGuestConf(input.current);
  const fixed = [...d.createOnly].filter((k) => want.options.has(k) && want.options.get(k) !== (have.options.get(k) ?? '0'));
  if (fixed.length > 0) {
    const what = fixed.map((k) => `${k} ${have.options.get(k) ?? '0'} -> ${want.options.get(k)}`).join(', ');
    if (!force) {
      skipped.push(`${d.noun} ${vmid} must be created again for ${what}: that destroys it and its disks; run with --force to do it.`);
      return { kind: d.kind, vmid, exists: true, steps: [], skipped };
    }
    const recreate = createSteps(input, want);
    if (recreate.problem) return { kind: d.kind, vmid, exists: true, steps: [], skipped: [recreate.problem] };
    const stop: GuestStep = { kind: 'script', text: `if ${d.cli} status ${vmid} | grep -q running; then ${d.cli} stop ${vmid}; fi`, why: `stop ${vmid}` };
    return { kind: d.kind, vmid, exists: true, steps: [stop, runStep(`destroy ${vmid} (--force: ${what})`, d.cli, 'destroy', String(vmid)), ...recreate.steps], skipped };
  }
  // Options set from secrets at creation (sshkeys) are not in the rendered file: never compared or removed.
  const fromSecrets = new Set(isQemuSetup(input.setup) ? Object.keys(input.setup.secretOptions) : []);
  const set: [string, string][] = [];
  const steps: GuestStep[] = [];
  const before: GuestStep[] = [];
  const after: GuestStep[] = [];
  for (const [key, value] of want.options) {
    if (d.isAuto(key)) continue;
    const current = have.options.get(key);
    if (current === undefined) {
      set.push([key, d.createValue?.(key, value) ?? (d.isVolume(key, value) ? allocationValue(value) : value)]);
      continue;
    }
    if (d.isVolume(key, value)) {
      volumeChange(d, vmid, key, value, current, set, steps, skipped);
      continue;
    }
    const net = d.splitNet(key, value);
    if (net) {
      const hostNet = d.splitNet(key, current)!;
      const keep = net.mac ?? hostNet.mac;
      if (!sameProperty(net.p, hostNet.p) || (net.mac !== undefined && net.mac !== hostNet.mac)) set.push([key, d.joinNet(key, value, keep)]);
      continue;
    }
    if (comparable(d, key, value) !== comparable(d, key, current)) set.push([key, value]);
  }
  const removed = [...have.options.keys()].filter((k) => !d.isAuto(k) && !want.options.has(k) && !fromSecrets.has(k));
  if (want.description !== have.description) {
    if (want.description !== undefined) set.push(['description', want.description]);
    else removed.push('description');
  }
  const argv: string[] = [d.cli, 'set', String(vmid)];
  for (const [key, value] of set) {
    if (key === 'sshkeys') {
      const s = sshkeysSteps(vmid, value);
      before.push(...s.before);
      after.push(...s.after);
      argv.push('--sshkeys', s.arg);
    } else argv.push(`--${key}`, value);
  }
  if (removed.length > 0) {
    if (force) argv.push('--delete', removed.join(','));
    else skipped.push(`left in place, since removing them needs --force: ${removed.join(', ')}.`);
  }
  const all: GuestStep[] = [];
  if (argv.length > 3) all.push(...before, runStep(`apply the changed options of ${vmid}`, ...argv), ...after);
  all.push(...steps);
  const rawDiffers = JSON.stringify(want.raw) !== JSON.stringify(have.raw);
  if (rawDiffers && (want.raw.length > 0 || force)) all.push(rawLinesStep(d, vmid, want.raw, input.node));
  else if (rawDiffers) skipped.push(`raw lxc.* lines left in place, since removing them needs --force.`);
  return { kind: d.kind, vmid, exists: true, steps: all.length > 0 ? [...prerequisiteSteps(input.setup), ...all] : [], skipped };
}
