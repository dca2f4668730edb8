import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Findings } from '../findings.js';
import type { KubeObject } from '../model/kubernetes.js';

interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}
interface Model {
  validate(): void;
}
type ModelClass = new (data: object) => Model;

// kubernetes-models: the Kubernetes OpenAPI schema of each kind compiled into ajv validators.
// Loaded on first use: a lab without a cluster never pays for it.
const require = createRequire(import.meta.url);
let models: ReadonlyMap<string, ModelClass> | undefined;

/** The kinds the renderer writes, by apiVersion/kind: the package's module of each. */
const KINDS = ['v1/Namespace', 'v1/Service', 'v1/Secret', 'v1/PersistentVolume', 'v1/PersistentVolumeClaim', 'apps/v1/Deployment', 'apps/v1/StatefulSet', 'storage.k8s.io/v1/StorageClass'];

/**
 * The package's folder, found along node's lookup paths: its `exports` name files for `import`
 * only, so `require.resolve` refuses them (and `import.meta.resolve` would make the lab bundle,
 * which holds this code, an ES module without its code cache).
 */
function packageDir(name: string): string {
  const dir = (require.resolve.paths(name) ?? []).map((base) => join(base, name)).find((d) => existsSync(join(d, 'package.json')));
  if (!dir) throw new Error(`the kit's dependency ${name} is not installed (pnpm install)`);
  return dir;
}

/** Each kind's model class: its ES module (no top-level await), required synchronously by path. */
function modelClasses(): ReadonlyMap<string, ModelClass> {
  if (models) return models;
  const dir = packageDir('kubernetes-models');
  models = new Map(KINDS.map((kind) => [kind, (require(join(dir, `${kind}.js`)) as Record<string, ModelClass>)[kind.split('/').pop()!]!]));
  return models;
}

/** `/spec/template/spec/containers/0/ports/0/containerPort` -> `spec.template.spec.containers[0].ports[0].containerPort` */
function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

/**
 * Checks each object against the schema of its kind in the Kubernetes API (kubernetes-models,
 * generated from the API's OpenAPI document); one finding per field, at `<where>/<Kind>.<field>`.
 */
export function checkKubernetesSchema(where: string, objects: readonly KubeObject[], findings: Findings): void {
  for (const object of objects) {
    const at = `${where}/${object.kind}`;
    const Model = modelClasses().get(`${object.apiVersion}/${object.kind}`);
    if (!Model) {
      findings.error('kubernetes-schema', at, `Kubernetes schema: ${object.apiVersion} ${object.kind} is not a kind the lab renders or validates.`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      const errors = (error as { errors?: SchemaError[] }).errors;
      if (!errors) throw error;
      const seen = new Set<string>();
      for (const e of errors) {
        if (e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
        const path = `${at}.${fieldPath(e.instancePath)}`.replace(/\.$/, '');
        if (seen.has(path)) continue;
        seen.add(path);
        findings.error('kubernetes-schema', path, `Kubernetes schema (${object.apiVersion} ${object.kind} ${object.metadata.name}): ${fieldPath(e.instancePath) || 'the object'} ${e.message ?? e.keyword}.`);
      }
    }
  }
}
