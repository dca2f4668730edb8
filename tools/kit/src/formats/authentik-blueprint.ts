/**
 * Authentik's blueprint file, as our own small typed model written from upstream's published
 * format (read 2026-12-07): goauthentik/authentik blueprints/schema.json (a document with
 * `version` (1) and `entries`; `metadata.name` required, `metadata.labels` strings; each entry a
 * `model`, `identifiers` (required but for `authentik_blueprints.metaapplyblueprint`), `attrs`,
 * `state` one of present | created | must_created | absent, `id`, `conditions`) and
 * website/docs/customize/blueprints/v1/{structure,tags}.md (the `!KeyOf id` and `!Find [model,
 * [field, value]]` tags; an entry's `id` is what `!KeyOf` names, defined before it is used).
 */
export type BlueprintState = 'present' | 'created' | 'must_created' | 'absent';
export const BLUEPRINT_STATES: readonly BlueprintState[] = ['present', 'created', 'must_created', 'absent'];

/** `!KeyOf <id>`: the primary key of the entry with that id, in the same blueprint. */
export interface KeyOf {
  readonly tag: '!KeyOf';
  readonly id: string;
}
/** `!Find [<model>, [<field>, <value>]]`: the primary key of an existing object, found by a field. */
export interface Find {
  readonly tag: '!Find';
  readonly model: string;
  readonly field: string;
  readonly value: string;
}
export type BlueprintTag = KeyOf | Find;

export type BlueprintValue = string | number | boolean | null | BlueprintTag | readonly BlueprintValue[] | { readonly [key: string]: BlueprintValue };

export interface BlueprintEntry {
  readonly model: string;
  readonly id?: string;
  readonly state?: BlueprintState;
  readonly identifiers?: Readonly<Record<string, BlueprintValue>>;
  readonly attrs?: Readonly<Record<string, BlueprintValue>>;
}

export interface Blueprint {
  readonly version: 1;
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly entries: readonly BlueprintEntry[];
}

export const keyOf = (id: string): KeyOf => ({ tag: '!KeyOf', id });
export const find = (model: string, field: string, value: string): Find => ({ tag: '!Find', model, field, value });

export function isTag(v: unknown): v is BlueprintTag {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && ((v as { tag?: unknown }).tag === '!KeyOf' || (v as { tag?: unknown }).tag === '!Find');
}

/** The tag as YAML writes it: `!KeyOf id`, `!Find [model, [field, value]]`. */
export function tagText(t: BlueprintTag): string {
  return t.tag === '!KeyOf' ? `!KeyOf ${t.id}` : `!Find [${t.model}, [${t.field}, ${t.value}]]`;
}
