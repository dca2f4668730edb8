import type { Finding } from '../findings.js';
import { parseZfsGet, parseZfsList, type ZfsPropertyValue } from './parse.js';
import { isCreationOnly, normalizeValue } from './properties.js';
import { effectiveProperties, managedProperties, type WantedLayout } from './wanted.js';

/** A read-only command whose output the plan needs; `file` is where `homelab zfs-plan --from` reads it. */
export interface ZfsCommand {
  readonly name: 'zfs-list' | 'zfs-get';
  readonly argv: readonly string[];
  readonly file: string;
}

/** A change the plan makes. There is no destroy: a dataset the layout does not name is left alone. */
export type ZfsAction =
  | { readonly kind: 'create'; readonly dataset: string; readonly properties: Readonly<Record<string, string>>; readonly argv: readonly string[] }
  | { readonly kind: 'set'; readonly dataset: string; readonly property: string; readonly from: string; readonly to: string; readonly argv: readonly string[] }
  | { readonly kind: 'inherit'; readonly dataset: string; readonly property: string; readonly from: string; readonly to: string; readonly argv: readonly string[] };

export interface ZfsPlan {
  readonly pool: string;
  /** In the order to run them: parents before children, a parent's properties before its new children. */
  readonly actions: readonly ZfsAction[];
  /** What the plan cannot or will not do (creation-only properties, a missing pool), and unreadable output. */
  readonly findings: readonly Finding[];
  /** Datasets on the host the layout does not name (Proxmox disks, received replicas): never touched. */
  readonly unmanaged: readonly string[];
}

/** The commands to run on the Proxmox host (read-only), whose outputs `planZfs` turns into the plan. */
export function zfsPlanCommands(wanted: WantedLayout): ZfsCommand[] {
  const props = managedProperties(wanted);
  return [
    { name: 'zfs-list', argv: ['zfs', 'list', '-H', '-o', 'name,type', '-r', '-t', 'filesystem,volume', wanted.pool], file: 'zfs-list.txt' },
    {
      name: 'zfs-get',
      argv: ['zfs', 'get', '-H', '-p', '-o', 'name,property,value,source', '-r', '-t', 'filesystem', props.length ? props.join(',') : 'type', wanted.pool],
      file: 'zfs-get.txt',
    },
  ];
}

/** The stdout of each command of `zfsPlanCommands`, by its name. A missing pool makes both empty. */
export type ZfsOutputs = Readonly<Partial<Record<ZfsCommand['name'], string>>>;

function finding(code: string, severity: Finding['severity'], path: string, message: string): Finding {
  return { code, severity, path, message };
}

/**
 * Compares the wanted layout with what the host reports and lists what to create, set or
 * inherit. Pure: the same outputs give the same plan; applying it and planning again gives none.
 */
export function planZfs(wanted: WantedLayout, outputs: ZfsOutputs, host = 'pve'): ZfsPlan {
  const list = parseZfsList(outputs['zfs-list'] ?? '');
  const got = parseZfsGet(outputs['zfs-get'] ?? '');
  const findings: Finding[] = [];
  const actions: ZfsAction[] = [];
  for (const [command, parsed] of [['zfs-list', list], ['zfs-get', got]] as const) {
    for (const u of parsed.unreadable) {
      findings.push(finding('zfs-output-unreadable', 'error', `${host}/zfs/${command}:${u.line}`, `line ${u.line} of \`${command}\` is not tab-separated fields as the plan asks for: "${u.text.slice(0, 80)}". Run the command exactly as zfsPlanCommands() gives it.`));
    }
  }
  const wantedNames = new Set(wanted.datasets.map((d) => d.name));
  const unmanaged = [...list.value.keys()].filter((n) => n !== wanted.pool && !wantedNames.has(n)).sort();
  if (!list.value.has(wanted.pool)) {
    findings.push(finding('zfs-pool-missing', 'error', `${host}/zfs/${wanted.pool}`, `the host has no pool "${wanted.pool}" (zfs list shows none). The plan creates datasets, never pools: create the pool (zpool create ${wanted.pool} ...) or import it, then plan again.`));
    return { pool: wanted.pool, actions, findings, unmanaged };
  }
  for (const dataset of wanted.datasets) {
    const type = list.value.get(dataset.name);
    if (type === undefined) {
      const properties = Object.fromEntries(Object.entries(dataset.properties).map(([p, { value }]) => [p, value]));
      const options = Object.entries(properties).flatMap(([p, v]) => ['-o', `${p}=${v}`]);
      actions.push({ kind: 'create', dataset: dataset.name, properties, argv: ['zfs', 'create', ...options, dataset.name] });
      continue;
    }
    if (type !== 'filesystem') {
      findings.push(finding('zfs-not-filesystem', 'error', `${host}/zfs/${dataset.name}`, `${dataset.name} exists as a ${type}, not a file system. The plan never destroys a dataset: rename or remove it by hand, then plan again.`));
      continue;
    }
    const actual = got.value.get(dataset.name) ?? new Map<string, ZfsPropertyValue>();
    for (const [prop, want] of [...effectiveProperties(wanted, dataset.name)].sort(([a], [b]) => a.localeCompare(b))) {
      const path = `${host}/zfs/${dataset.name}/properties.${prop}`;
      const have = actual.get(prop);
      if (!have) {
        findings.push(finding('zfs-property-unreported', 'warning', path, `zfs get did not report ${prop} for ${dataset.name}; the host's ZFS may not know this property. Check \`zfs version\` and the property's name.`));
        continue;
      }
      const own = want.from === dataset.name;
      const same = normalizeValue(prop, have.value) === normalizeValue(prop, want.value);
      // A dataset's own property must be set on it, not merely equal through inheritance or the
      // default: a change above it (perhaps in this very plan) would otherwise change it too.
      if (same && (!own || isCreationOnly(prop) || have.source === 'local' || have.source === 'received')) continue;
      if (isCreationOnly(prop)) {
        findings.push(finding('zfs-creation-only', 'warning', path, `${dataset.name} has ${prop}=${have.value} but the layout wants ${want.value}; ${prop} can only be set when a dataset is created, so the plan leaves it. To change it, create a new dataset with ${prop}=${want.value}, copy the files over (rsync -aHAX; zfs send would carry the old setting along), then swap the names.`));
      } else if (own || have.source === 'received') {
        actions.push({ kind: 'set', dataset: dataset.name, property: prop, from: have.value, to: want.value, argv: ['zfs', 'set', `${prop}=${want.value}`, dataset.name] });
      } else if (have.source === 'local') {
        actions.push({ kind: 'inherit', dataset: dataset.name, property: prop, from: have.value, to: `${want.value} from ${want.from}`, argv: ['zfs', 'inherit', prop, dataset.name] });
      }
      // Otherwise it inherits from an ancestor whose own change above fixes it.
    }
  }
  return { pool: wanted.pool, actions, findings, unmanaged };
}

/** The commands that apply the plan, in order; deploy runs exactly these. */
export function zfsApplyCommands(plan: ZfsPlan): (readonly string[])[] {
  return plan.actions.map((a) => a.argv);
}
