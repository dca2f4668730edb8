import { Findings, sortFindings, type Finding } from '../findings.js';
import type { Lab } from '../model/lab.js';
import { composeDocument } from '../render/compose.js';
import { checkComposeSchema } from './compose-schema.js';
import { rules } from './rules/index.js';
import { composeServices } from '../model/kubernetes.js';

/** Every layer over the whole lab; findings collected, never thrown. */
export function validateLab(lab: Lab): Finding[] {
  const findings = new Findings();
  for (const host of lab.hosts) {
    if (composeServices(host).length > 0) checkComposeSchema(host.name, composeDocument(lab.facts, host), findings);
  }
  for (const rule of rules) rule.check(lab, findings);
  return sortFindings(findings.list);
}

/** Findings that concern the given hosts (and the lab as a whole); all of them when no host is named. */
export function findingsFor(findings: readonly Finding[], hosts: readonly string[] | undefined): Finding[] {
  if (!hosts || hosts.length === 0) return [...findings];
  return findings.filter((f) => {
    const top = f.path.split('/')[0] ?? '';
    return hosts.includes(top) || top === 'lab' || top === 'shared';
  });
}
