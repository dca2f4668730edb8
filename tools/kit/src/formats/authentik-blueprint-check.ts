import { createRequire } from 'node:module';
import { BLUEPRINT_STATES, isTag, type Blueprint, type BlueprintValue } from './authentik-blueprint.js';

/**
 * Checks a blueprint against upstream's own format: the envelope against our typed model of
 * blueprints/schema.json (authentik-blueprint.ts), and each entry's fields against authentik's
 * API request types, from @goauthentik/api (the official client generated from authentik's
 * OpenAPI schema, pinned to the image's version). schema.json's per-model `attrs` are generated
 * from the same serializers, so a field the request type does not know is one authentik rejects,
 * and a required one it lacks is one the create fails without.
 */

interface ModelType {
  /** @goauthentik/api's model file (CommonJS build) with `<Name>FromJSON`, `<Name>ToJSON`, `instanceOf<Name>`. */
  readonly name: string;
  /** Entries that only update an object authentik made (the embedded outpost): the Patched type, nothing required. */
  readonly patch?: boolean;
  /** Fields a blueprint may set that the API's request type lacks (the serializer adds them in a blueprint's context). */
  readonly blueprintOnly?: readonly string[];
}

/** The models the lab's blueprints use, with the request type that carries their fields. */
const MODELS: Readonly<Record<string, ModelType>> = {
  'authentik_providers_proxy.proxyprovider': { name: 'ProxyProviderRequest' },
  'authentik_core.application': { name: 'ApplicationRequest' },
  'authentik_core.group': { name: 'GroupRequest' },
  // UserSerializer adds `password` (raw: set_password hashes it) and `password_hash` in a blueprint's
  // context only (SERIALIZER_CONTEXT_BLUEPRINT, authentik/core/api/users.py).
  'authentik_core.user': { name: 'UserRequest', blueprintOnly: ['password', 'password_hash'] },
  'authentik_policies.policybinding': { name: 'PolicyBindingRequest' },
  'authentik_outposts.outpost': { name: 'PatchedOutpostRequest', patch: true },
};

/** Enum-valued fields, with the @goauthentik/api enum that lists their values. */
const ENUMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'authentik_providers_proxy.proxyprovider': { mode: 'ProxyMode' },
  'authentik_core.application': { policy_engine_mode: 'PolicyEngineMode' },
};

/** authentik_blueprints.metaapplyblueprint's attrs (blueprints/v1/meta/apply_blueprint.py): not an API model. */
const META_APPLY_ATTRS = new Set(['identifiers', 'required']);

const require = createRequire(import.meta.url);
type Module = Record<string, unknown>;
const loaded = new Map<string, Module>();
function apiModel(name: string): Module {
  let m = loaded.get(name);
  if (!m) {
    // One model file, not the package's index (a thousand of them): validate stays quick to start.
    m = require(`@goauthentik/api/dist/models/${name}.js`) as Module;
    loaded.set(name, m);
  }
  return m;
}

/** The snake_case fields upstream's request type knows (what its ToJSON writes). */
function knownFields(name: string): Set<string> {
  const m = apiModel(name);
  const toJson = m[`${name}ToJSON`] as (v: unknown) => Record<string, unknown>;
  const fromJson = m[`${name}FromJSON`] as (v: unknown) => unknown;
  return new Set(Object.keys(toJson(fromJson({}))));
}

/** The fields without which upstream's `instanceOf<Name>` refuses a value: the required ones. */
function requiredFields(name: string): string[] {
  const m = apiModel(name);
  const fromJson = m[`${name}FromJSON`] as (v: unknown) => object;
  const isInstance = m[`instanceOf${name}`] as (v: object) => boolean;
  const known = [...knownFields(name)];
  const all = Object.fromEntries(known.map((k) => [k, 'x']));
  return known.filter((k) => {
    const { [k]: _, ...rest } = all;
    return !isInstance(fromJson(rest));
  });
}

/** A tag stands for a primary key: any defined value does for the check. */
function untagged(v: BlueprintValue): unknown {
  if (isTag(v)) return 'tag';
  if (Array.isArray(v)) return v.map(untagged);
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, untagged(x as BlueprintValue)]));
  return v;
}

function keyOfIds(v: BlueprintValue, out: string[] = []): string[] {
  if (isTag(v)) {
    if (v.tag === '!KeyOf') out.push(v.id);
  } else if (Array.isArray(v)) for (const x of v) keyOfIds(x, out);
  else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) keyOfIds(x as BlueprintValue, out);
  return out;
}

/** Every way the blueprint departs from upstream's format, in words naming the entry and field; empty when none. */
export function checkBlueprint(bp: Blueprint): string[] {
  const problems: string[] = [];
  if (bp.version !== 1) problems.push(`version is ${String(bp.version)}; authentik reads version 1`);
  if (!bp.metadata?.name?.trim()) problems.push('metadata.name is required');
  for (const [k, v] of Object.entries(bp.metadata?.labels ?? {})) if (typeof v !== 'string') problems.push(`metadata.labels.${k} must be a string`);
  if (!Array.isArray(bp.entries)) return [...problems, 'entries must be a list'];
  const ids = new Set<string>();
  bp.entries.forEach((e, i) => {
    const at = `entries[${i}] (${e.model}${e.id ? ` ${e.id}` : ''})`;
    if (e.state !== undefined && !BLUEPRINT_STATES.includes(e.state)) problems.push(`${at}.state "${e.state}" is not one of ${BLUEPRINT_STATES.join(', ')}`);
    for (const id of keyOfIds({ ...(e.identifiers ?? {}), ...(e.attrs ?? {}) })) {
      if (!ids.has(id)) problems.push(`${at}: !KeyOf ${id} names no entry before it`);
    }
    if (e.id !== undefined) {
      if (ids.has(e.id)) problems.push(`${at}.id "${e.id}" is used twice`);
      ids.add(e.id);
    }
    if (e.model === 'authentik_blueprints.metaapplyblueprint') {
      for (const k of Object.keys(e.attrs ?? {})) if (!META_APPLY_ATTRS.has(k)) problems.push(`${at}.attrs.${k} is not a field of ${e.model}`);
      return;
    }
    const type = MODELS[e.model];
    if (!type) {
      problems.push(`${at}: the check knows no request type for model ${e.model} (add it to MODELS)`);
      return;
    }
    if (!e.identifiers || Object.keys(e.identifiers).length === 0) problems.push(`${at}.identifiers is required`);
    const fields = { ...(e.identifiers ?? {}), ...(e.attrs ?? {}) };
    const known = new Set([...knownFields(type.name), ...(type.blueprintOnly ?? [])]);
    for (const k of Object.keys(fields)) {
      // `managed` identifies objects authentik made; the patch type carries it as a field too.
      if (!known.has(k)) problems.push(`${at}: ${k} is not a field of ${e.model} (@goauthentik/api ${type.name})`);
    }
    if (!type.patch) {
      const missing = requiredFields(type.name).filter((k) => !(k in fields));
      if (missing.length) problems.push(`${at}: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required by ${e.model} (@goauthentik/api ${type.name})`);
    }
    for (const [field, enumName] of Object.entries(ENUMS[e.model] ?? {})) {
      const v = fields[field];
      if (v === undefined) continue;
      // The generator's catch-all member (UnknownDefaultOpenApi) is no value authentik takes.
      const values = Object.entries(apiModel(enumName)[enumName] as Record<string, string>).filter(([k]) => k !== 'UnknownDefaultOpenApi').map(([, x]) => x);
      if (typeof v !== 'string' || !values.includes(v)) problems.push(`${at}.${field} "${String(v)}" is not one of ${enumName}: ${values.join(', ')}`);
    }
  });
  return problems;
}

