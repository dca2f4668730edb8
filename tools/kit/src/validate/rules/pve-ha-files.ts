import { renderHa } from '../../render/pve-ha.js';
import { checkPveSectionFile, type PveSectionFile } from '../pve-section-format.js';
import { defineRule } from '../rule.js';

const FILE_OF: Readonly<Record<string, PveSectionFile>> = {
  'pve-ha-resources': 'ha-resources',
  'pve-ha-rules': 'ha-rules',
  'pve-ha-groups': 'ha-groups',
  'pve-replication': 'replication',
};

/** The rendered HA and replication files, read as pve-ha-manager and pvesr read them: a section they drop is an error. */
export const pveHaFilesRule = defineRule({
  description: 'The rendered HA and replication files, read as pve-ha-manager and pvesr read them',
  docs: 'findings.md#a-proxmox-cluster-placement-capacity-ha-replication',
  codes: ['pve-ha-config-invalid'],
  check(lab, findings) {
    for (const node of lab.nodes ?? []) {
      for (const artifact of renderHa(lab, node)) {
        const lines = artifact.content.split('\n');
        for (const p of checkPveSectionFile(FILE_OF[artifact.kind]!, artifact.content)) {
          findings.error('pve-ha-config-invalid', `${node.name}/${artifact.path}`, `line ${p.line} (${lines[p.line - 1]?.trim()}): ${p.message}. Proxmox would drop it; fix the model value it comes from.`);
        }
      }
    }
  },
});
