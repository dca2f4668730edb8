import { isCreationOnly, isInherited, normalizeValue, parseZfsGet, parseZfsList, type ZfsAction, type ZfsOutputs } from '../src/internal.js';

interface Prop {
  value: string;
  source: string;
}

/**
 * A small model of ZFS property inheritance, enough to apply a plan to captured outputs and
 * print what `zfs list` / `zfs get` would say afterwards: proves that planning again finds nothing.
 */
export class ZfsSim {
  readonly types = new Map<string, string>();
  readonly props = new Map<string, Map<string, Prop>>();
  private readonly defaults = new Map<string, string>();

  constructor(outputs: ZfsOutputs, private readonly pool: string) {
    for (const [name, type] of parseZfsList(outputs['zfs-list'] ?? '').value) this.types.set(name, type);
    for (const [name, props] of parseZfsGet(outputs['zfs-get'] ?? '').value) {
      this.props.set(name, new Map([...props].map(([p, v]) => [p, { ...v }])));
      for (const [p, v] of props) if (v.source === 'default' || (v.source === '-' && name === pool)) this.defaults.set(p, v.value);
    }
  }

  private parent(name: string): string | undefined {
    const i = name.lastIndexOf('/');
    return i < 0 ? undefined : name.slice(0, i);
  }

  /** What `name` gets for `prop` from above: the parent's value, or the default. */
  private fromAbove(name: string, prop: string): Prop {
    const parent = this.parent(name);
    const p = parent ? this.props.get(parent)?.get(prop) : undefined;
    if (!p || p.source === 'default') return { value: this.defaults.get(prop) ?? '-', source: 'default' };
    if (isCreationOnly(prop)) return { value: p.value, source: '-' };
    if (p.source === 'local' || p.source === 'received') return { value: p.value, source: `inherited from ${parent}` };
    return { ...p };
  }

  /** Children that inherit `prop` follow their parent again, top down. */
  private propagate(name: string, prop: string): void {
    if (!isInherited(prop) || isCreationOnly(prop)) return;
    for (const child of [...this.types.keys()].filter((n) => this.parent(n) === name)) {
      const c = this.props.get(child)?.get(prop);
      if (!c || c.source === 'local' || c.source === 'received') continue;
      this.props.get(child)!.set(prop, this.fromAbove(child, prop));
      this.propagate(child, prop);
    }
  }

  apply(action: ZfsAction): void {
    if (action.kind === 'create') {
      if (this.types.has(action.dataset)) throw new Error(`cannot create '${action.dataset}': dataset already exists`);
      const parent = this.parent(action.dataset)!;
      if (!this.types.has(parent)) throw new Error(`cannot create '${action.dataset}': parent does not exist`);
      this.types.set(action.dataset, 'filesystem');
      const props = new Map<string, Prop>();
      for (const prop of this.props.get(parent)?.keys() ?? []) {
        const given = action.properties[prop];
        props.set(prop, given !== undefined ? { value: normalizeValue(prop, given), source: isCreationOnly(prop) ? '-' : 'local' } : this.fromAbove(action.dataset, prop));
      }
      this.props.set(action.dataset, props);
      return;
    }
    const props = this.props.get(action.dataset);
    if (!props) throw new Error(`cannot open '${action.dataset}': dataset does not exist`);
    if (isCreationOnly(action.property)) throw new Error(`cannot set property for '${action.dataset}': '${action.property}' is readonly`);
    props.set(action.property, action.kind === 'set' ? { value: normalizeValue(action.property, action.to), source: 'local' } : this.fromAbove(action.dataset, action.property));
    this.propagate(action.dataset, action.property);
  }

  outputs(): ZfsOutputs {
    const names = [...this.types.keys()].sort((a, b) => a.split('/').join('\0').localeCompare(b.split('/').join('\0')));
    return {
      'zfs-list': names.map((n) => `${n}\t${this.types.get(n)}\n`).join(''),
      'zfs-get': names
        .filter((n) => this.types.get(n) === 'filesystem')
        .flatMap((n) => [...(this.props.get(n) ?? [])].map(([p, v]) => `${n}\t${p}\t${v.value}\t${v.source}\n`))
        .join(''),
    };
  }
}

/** A `zfs` command line run against the model, as the host would answer it; `log` records every call. */
export function fakeZfs(sim: ZfsSim, pool: string, log: string[] = [], failOn?: string) {
  return async (argv: readonly string[]) => {
    const line = argv.join(' ');
    log.push(line);
    const fail = (stderr: string) => ({ code: 1, stdout: '', stderr });
    if (failOn && line === failOn) return fail(`cannot set property for '${argv.at(-1)}': operation not supported`);
    const [, sub, ...rest] = argv;
    if (sub === 'list' || sub === 'get') {
      if (!sim.types.has(pool)) return fail(`cannot open '${pool}': dataset does not exist`);
      return { code: 0, stdout: sim.outputs()[sub === 'list' ? 'zfs-list' : 'zfs-get']!, stderr: '' };
    }
    const dataset = rest.at(-1)!;
    try {
      if (sub === 'create') {
        const properties = Object.fromEntries(rest.flatMap((a, i) => (rest[i - 1] === '-o' ? [a.split('=') as [string, string]] : [])));
        sim.apply({ kind: 'create', dataset, properties, argv });
      } else if (sub === 'set') {
        const [property, to] = rest[0]!.split('=') as [string, string];
        sim.apply({ kind: 'set', dataset, property, from: '', to, argv });
      } else if (sub === 'inherit') {
        sim.apply({ kind: 'inherit', dataset, property: rest[0]!, from: '', to: '', argv });
      } else return fail(`unknown command '${sub}'`);
    } catch (e) {
      return fail((e as Error).message);
    }
    return { code: 0, stdout: '', stderr: '' };
  };
}
