import { isPveCalendarEvent, isPveConfigId } from './pve-formats.js';

// The HA manager's and storage replication's files as Proxmox reads them: PVE::SectionConfig
// (a `type: id` header, tab-indented `key value` lines, a blank line after each section), with
// the types, keys and value formats of pve-ha-manager (src/PVE/HA/Resources.pm, Groups.pm,
// Rules.pm, Rules/NodeAffinity.pm, Rules/ResourceAffinity.pm, Tools.pm) and pve-guest-common
// (src/PVE/ReplicationConfig.pm). A problem is a line Proxmox would refuse or drop.

export interface SectionProblem {
  readonly line: number;
  readonly message: string;
}

export type PveSectionFile = 'ha-resources' | 'ha-rules' | 'ha-groups' | 'replication';

type Check = (value: string) => string | undefined;

const NODE = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const bool: Check = (v) => (/^(0|1)$/.test(v) ? undefined : 'is not a boolean (0 or 1)');
const count: Check = (v) => (/^\d+$/.test(v) ? undefined : 'is not a whole number of at least 0');
const text: Check = (v) => (v.length <= 4096 ? undefined : 'is longer than 4096 characters');
const oneOf = (...values: string[]): Check => (v) => (values.includes(v) ? undefined : `is not one of ${values.join(', ')}`);
const node: Check = (v) => (NODE.test(v) ? undefined : 'is not a node name (pve-node)');
/** pve-ha-node-list: `<node>[:<pri>]{,<node>[:<pri>]}*` (Tools.pm, parse_node_priority). */
const nodeList: Check = (v) => (v.split(/[,; ]+/).every((n) => /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(:\d+)?$/.test(n)) ? undefined : 'is not a list of <node>[:<priority>]');
/** pve-ha-resource-id-list: `vm:<vmid>` or `ct:<vmid>` entries (Tools.pm; Resources/PVEVM.pm verify_name). */
const resourceList: Check = (v) => (v.split(/[,; ]+/).every((r) => /^(vm|ct):[1-9][0-9]+$/.test(r)) ? undefined : 'is not a list of vm:<vmid> or ct:<vmid>');
const calendar: Check = (v) => (v.length <= 128 && isPveCalendarEvent(v) ? undefined : 'is not a calendar event Proxmox parses');
const rate: Check = (v) => (/^\d+(\.\d+)?$/.test(v) && Number(v) >= 1 ? undefined : 'is not a rate of at least 1 (MB/s)');

interface SectionType {
  readonly id: (id: string) => string | undefined;
  readonly keys: Readonly<Record<string, Check>>;
  readonly required: readonly string[];
}

const vmid = (id: string) => (/^[1-9][0-9]+$/.test(id) ? undefined : 'invalid VMID');
const configId = (id: string) => (isPveConfigId(id) ? undefined : 'is not a pve-configid (a letter, then letters, digits, - or _)');
const resourceKeys = { state: oneOf('started', 'stopped', 'enabled', 'disabled', 'ignored'), group: configId, comment: text, failback: bool, max_restart: count, max_relocate: count };
const ruleKeys = { resources: resourceList, disable: bool, comment: text };

const FILES: Readonly<Record<PveSectionFile, Readonly<Record<string, SectionType>>>> = {
  'ha-resources': {
    vm: { id: vmid, keys: resourceKeys, required: [] },
    ct: { id: vmid, keys: resourceKeys, required: [] },
  },
  'ha-rules': {
    'node-affinity': { id: configId, keys: { ...ruleKeys, nodes: nodeList, strict: bool }, required: ['resources', 'nodes'] },
    'resource-affinity': { id: configId, keys: { ...ruleKeys, affinity: oneOf('positive', 'negative') }, required: ['resources', 'affinity'] },
  },
  'ha-groups': {
    group: { id: configId, keys: { nodes: nodeList, restricted: bool, nofailback: bool, comment: text }, required: ['nodes'] },
  },
  replication: {
    local: {
      id: (id) => (/^\d+-\d+$/.test(id) ? (Number(id.split('-')[0]) < 100 ? 'guest IDs < 100 are reserved' : undefined) : 'is not a replication job id <vmid>-<n>'),
      keys: { target: node, disable: bool, comment: text, rate, schedule: calendar, remove_job: oneOf('local', 'full'), source: node },
      required: ['target'],
    },
  },
};

/** Every line of `content` that the file's reader in Proxmox would refuse, with why. */
export function checkPveSectionFile(file: PveSectionFile, content: string): SectionProblem[] {
  const types = FILES[file];
  const problems: SectionProblem[] = [];
  const ids = new Set<string>();
  let section: { type: SectionType; seen: Set<string>; line: number; name: string } | undefined;
  const close = () => {
    if (!section) return;
    for (const key of section.type.required) if (!section.seen.has(key)) problems.push({ line: section.line, message: `${section.name} lacks its required ${key}` });
    section = undefined;
  };
  content.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (/^\s*#/.test(raw)) return;
    if (raw.trim() === '') return close();
    const header = /^(\S+):\s*(\S+)\s*$/.exec(raw);
    if (header && !/^\s/.test(raw)) {
      close();
      const [, type, id] = header as unknown as [string, string, string];
      const def = types[type.toLowerCase()];
      if (!def) return void problems.push({ line, message: `no such section type '${type}' in this file (one of ${Object.keys(types).join(', ')})` });
      const bad = def.id(id);
      if (bad) problems.push({ line, message: `the id '${id}' ${bad.startsWith('is') ? bad : `is refused: ${bad}`}` });
      if (ids.has(`${type}:${id}`)) problems.push({ line, message: `${type}: ${id} appears twice; Proxmox keeps one` });
      ids.add(`${type}:${id}`);
      section = { type: def, seen: new Set(), line, name: `${type}: ${id}` };
      return;
    }
    const prop = /^\s+(\S+)(?:\s+(.*\S))?\s*$/.exec(raw);
    if (!prop || !section) return void problems.push({ line, message: section ? 'is neither a property nor a section header' : 'is a property outside any section' });
    const [, key, value = ''] = prop as unknown as [string, string, string | undefined];
    const check = section.type.keys[key];
    if (!check) return void problems.push({ line, message: `${section.name} has no property '${key}'` });
    if (section.seen.has(key)) problems.push({ line, message: `${key} is set twice in ${section.name}` });
    section.seen.add(key);
    const bad = value === '' ? 'is empty' : check(value);
    if (bad) problems.push({ line, message: `${key} '${value}' ${bad}` });
  });
  close();
  return problems;
}
