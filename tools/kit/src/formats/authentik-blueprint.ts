/**
 * Authentik's blueprint file, as our own small typed model written from upstream's published
 * format (read 2026-12-07): goauthentik/authentik blueprints/schema.json (a document with
 * `version` (1) and `entries`; `metadata.name` required, `metadata.labels` strings; each entry a
 * `model`, `identifiers` (required but for `authentik_blueprints.metaapplyblueprint`), `attrs`,
 * `state` one of present | created | must_created | absent, `id`, `conditions`) and
 * website/docs/customize/blueprints/v1/{structure,tags}.md (the `!KeyOf id` and `!Find [model,
 * [field, value]]` tags; an entry's `id` is what `!KeyOf` names, defined before it is used), and
 * `!File <path>` (authentik/blueprints/v1/common.py, File: the file's content, stripped, read by
 * the worker that applies the blueprint; a file it cannot read gives the tag's default, none here,
 * and a warning in its log: since the tag came in mid-2025, PR #15659).
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
/** `!File <path>`: the content of a file in the container that applies the blueprint (the worker). */
export interface File {
  readonly tag: '!File';
  readonly path: string;
}
export type BlueprintTag = KeyOf | Find | File;

export type BlueprintValue = string | number | boolean | null | BlueprintTag | readonly BlueprintValue[] | { readonly [key: string]: BlueprintValue };

/** The `!File` paths a value reads (what the worker must be able to read). */
export function filePaths(v: BlueprintValue | undefined, out: string[] = []): string[] {
  if (v === undefined) return out;
  if (isTag(v)) {
    if (v.tag === '!File') out.push(v.path);
  } else if (Array.isArray(v)) for (const x of v) filePaths(x, out);
  else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) filePaths(x as BlueprintValue, out);
  return out;
}

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
export const fileTag = (path: string): File => ({ tag: '!File', path });

export function isTag(v: unknown): v is BlueprintTag {
  const tag = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as { tag?: unknown }).tag : undefined;
  return tag === '!KeyOf' || tag === '!Find' || tag === '!File';
}

/** The tag as YAML writes it: `!KeyOf id`, `!Find [model, [field, value]]`, `!File /path`. */
export function tagText(t: BlueprintTag): string {
  if (t.tag === '!File') return `!File ${t.path}`;
  return t.tag === '!KeyOf' ? `!KeyOf ${t.id}` : `!Find [${t.model}, [${t.field}, ${t.value}]]`;
}
