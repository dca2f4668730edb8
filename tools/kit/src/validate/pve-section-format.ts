import { isPveCalendarEvent, isPveConfigId } from './pve-formats.js';
import { parseSectionConfig } from '../proxmox/section-config.js';

// The HA manager's and storage replication's files as Proxmox reads them: PVE::SectionConfig
// (a `type: id` header, tab-indented `key value` lines, a blank line after each section: see
// proxmox/section-config.ts), with
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

/** Every line of `content` that the file's reader in Proxmox would refuse, with why (read as PVE::SectionConfig reads it: parseSectionConfig). */
export function checkPveSectionFile(file: PveSectionFile, content: string): SectionProblem[] {
  const types = FILES[file];
  const problems: SectionProblem[] = [];
  const parsed = parseSectionConfig(content);
  for (const i of parsed.ignored) {
    problems.push({ line: i.line, message: i.section ? `in section ${i.section}: is neither a property nor a section header (a header starts a section only after a blank line); Proxmox ignores it` : 'is a property outside any section' });
  }
  const ids = new Set<string>();
  for (const s of parsed.sections) {
    const def = types[s.type.toLowerCase()];
    if (!def) {
      problems.push({ line: s.line, message: `no such section type '${s.type}' in this file (one of ${Object.keys(types).join(', ')})` });
      continue;
    }
    const bad = def.id(s.id);
    if (bad) problems.push({ line: s.line, message: `the id '${s.id}' ${bad.startsWith('is') ? bad : `is refused: ${bad}`}` });
    if (ids.has(`${s.type}:${s.id}`)) problems.push({ line: s.line, message: `${s.type}: ${s.id} appears twice; Proxmox keeps one` });
    ids.add(`${s.type}:${s.id}`);
    const name = `${s.type}: ${s.id}`;
    const seen = new Set<string>();
    for (const { key, value, line } of s.properties) {
      const check = def.keys[key];
      if (!check) {
        problems.push({ line, message: `${name} has no property '${key}'` });
        continue;
      }
      if (seen.has(key)) problems.push({ line, message: `${key} is set twice in ${name}` });
      seen.add(key);
      const why = value === '' ? 'is empty' : check(value);
      if (why) problems.push({ line, message: `${key} '${value}' ${why}` });
    }
    for (const key of def.required) if (!seen.has(key)) problems.push({ line: s.line, message: `${name} lacks its required ${key}` });
  }
  return problems.sort((a, b) => a.line - b.line);
}
