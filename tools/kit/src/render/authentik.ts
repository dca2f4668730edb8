import type { HostDef } from '../model/host.js';
import type { Lab } from '../model/lab.js';
import { AUTHENTIK_BLUEPRINTS_DIR, authentikBlueprint } from '../model/authentik.js';
import { findRole } from '../model/wiring.js';
import { isTag, tagText, type Blueprint, type BlueprintValue } from '../formats/authentik-blueprint.js';
import type { Artifact } from './artifact.js';
import { GENERATED } from './generated.js';
import { toYaml } from './yaml.js';

const MARK = '@@tag@@';

function marked(v: BlueprintValue): unknown {
  if (isTag(v)) return `${MARK}${tagText(v)}`;
  if (Array.isArray(v)) return v.map(marked);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, marked(x as BlueprintValue)]));
  return v;
}

/**
 * The blueprint as YAML, block style, with its tags unquoted. Tags and ids are our own words
 * (DNS labels, model names), so each marked string is written on one line and unescaped.
 */
export function blueprintYaml(bp: Blueprint, header: readonly string[]): string {
  const text = toYaml(marked(bp as unknown as BlueprintValue), { header: ['yaml-language-server: $schema=https://goauthentik.io/blueprints/schema.json', ...header] });
  return text.replace(/(['"]?)@@tag@@(.*?)\1$/gm, '$2');
}

/** On the host of the lab's `auth` service: the blueprint its server and worker mount at /blueprints/custom. */
export function renderAuthentik(lab: Lab, host: HostDef): Artifact[] {
  const auth = findRole(lab, 'auth');
  if (!auth || auth.host !== host) return [];
  return [
    {
      path: `${AUTHENTIK_BLUEPRINTS_DIR}/homelab-routes.yaml`,
      kind: 'authentik-blueprint',
      content: blueprintYaml(authentikBlueprint(lab), [...GENERATED(host), 'Every route behind forward auth, from the services\' routes (docs/hosts.md, Authentik).']),
    },
  ];
}
